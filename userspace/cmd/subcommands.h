/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROCSCOPE_SUBCOMMANDS_H
#define PROCSCOPE_SUBCOMMANDS_H

/* One entry point per subcommand, in a file of its own (wg(8) style). */
int status_main(int argc, char **argv);
int load_main(int argc, char **argv);
int unload_main(int argc, char **argv);
int pt_main(int argc, char **argv);
int maps_main(int argc, char **argv);
int ptes_main(int argc, char **argv);
int translate_main(int argc, char **argv);
int faults_main(int argc, char **argv);
int sockets_main(int argc, char **argv);
int accept_main(int argc, char **argv);
int show_main(int argc, char **argv);
int top_main(int argc, char **argv);

#endif
