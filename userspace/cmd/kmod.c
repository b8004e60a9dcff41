// SPDX-License-Identifier: GPL-2.0
/* procscope load / unload: the module, through libkmod as modprobe does. */
#include <errno.h>
#include <libkmod.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "cmd/subcommands.h"

#define MODULE_NAME "procscope"

static void load_usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope load [PATH.ko] [-o 'PARAM=VALUE ...']\n"
		"\n"
		"Load the procscope kernel module. Without PATH it is looked up like\n"
		"modprobe does (installed with 'make install' or DKMS); with PATH, that\n"
		"file is inserted (e.g. module/procscope.ko from a build tree).\n"
		"Parameters are listed by 'modinfo procscope'. Needs root.\n"
		"\n"
		"  -o, --options STR   module parameters, e.g. -o 'ring_slots=8192'\n");
}

static void unload_usage(FILE *f)
{
	fprintf(f,
		"Usage: procscope unload\n"
		"\n"
		"Remove the procscope module. Watches end and pending events are\n"
		"delivered first. Needs root.\n");
}

static int kmod_err(const char *cmd, int err)
{
	if (err == -EPERM || err == -EACCES)
		return cli_error(cmd, "not permitted: loading and unloading modules needs root (CAP_SYS_MODULE)");
	return cli_error(cmd, "%s", strerror(-err));
}

int load_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "options", required_argument, NULL, 'o' },
		CLI_COMMON_LONGOPTS
	};
	struct kmod_module *mod = NULL;
	const char *params = NULL;
	struct kmod_ctx *ctx;
	int ret, idx;

	idx = cli_getopt(argc, argv, "o:jh", opts, cli_opt_store_arg, &params, load_usage);
	if (idx < 0)
		return cli_exit_status(idx);
	if (argc - idx > 1)
		return cli_error("load", "too many arguments; see 'procscope load --help'");

	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return cli_error("load", "cannot initialise libkmod");
	if (idx < argc) {
		if (access(argv[idx], R_OK))
			ret = -errno;
		else
			ret = kmod_module_new_from_path(ctx, argv[idx], &mod);
		if (ret) {
			kmod_unref(ctx);
			return cli_error("load", "%s: %s", argv[idx], strerror(-ret));
		}
		ret = kmod_module_insert_module(mod, 0, params);
	} else {
		ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
		if (!ret)
			ret = kmod_module_probe_insert_module(mod,
				KMOD_PROBE_FAIL_ON_LOADED, params, NULL, NULL, NULL);
		if (ret == -ENOENT) {
			kmod_module_unref(mod);
			kmod_unref(ctx);
			return cli_error("load",
					 "module procscope not found for this kernel: install it ('make install' or DKMS) or pass the .ko path, e.g. 'procscope load module/procscope.ko'");
		}
	}
	kmod_module_unref(mod);
	kmod_unref(ctx);
	if (ret == -EEXIST) {
		if (!cli.json)
			printf("procscope is already loaded\n");
		return 0;
	}
	if (ret)
		return kmod_err("load", ret);
	if (cli.json)
		printf("{\"loaded\":true}\n");
	else
		printf("procscope loaded; try 'procscope status'\n");
	return 0;
}

int unload_main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_LONGOPTS };
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret, idx;

	idx = cli_getopt(argc, argv, "jh", opts, NULL, NULL, unload_usage);
	if (idx < 0)
		return cli_exit_status(idx);
	if (idx < argc)
		return cli_error("unload", "unexpected argument '%s'", argv[idx]);

	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return cli_error("unload", "cannot initialise libkmod");
	ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret && kmod_module_get_initstate(mod) < 0) {
		kmod_module_unref(mod);
		kmod_unref(ctx);
		return cli_error("unload", "procscope is not loaded");
	}
	if (!ret)
		ret = kmod_module_remove_module(mod, 0);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	if (ret == -EBUSY || ret == -EAGAIN)
		return cli_error("unload", "the module is in use; stop procscope commands that are watching and retry");
	if (ret)
		return kmod_err("unload", ret);
	if (cli.json)
		printf("{\"loaded\":false}\n");
	else
		printf("procscope unloaded\n");
	return 0;
}
