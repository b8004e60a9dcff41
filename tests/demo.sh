#!/bin/sh
# `make demo` runs this inside the test VM: a sample server process that has
# faulted, swapped and has a busy listener, and procscope showing all of it.
#
#   1. a 8 MiB data file on the ext4 disk, page cache dropped (major faults)
#   2. demo_server listens on 127.0.0.1:8080 with backlog 4 and waits
#   3. `procscope show -d 10 PID` starts watching it (faults by class,
#      listener drops by cause) and shows the page after 10 s
#   4. the server touches anonymous memory, a huge-page region and the file,
#      pages half of its memory out to zram and reads some back, forks
#      (copy-on-write), grows its stack, accepts 3 connections
#   5. 7 clients connect and send 1000 bytes each: 3 are accepted (their
#      data waits unread in the server's sockets), the rest wait in the
#      accept queue, and the burst overflowed the backlog on the way
#   6. `procscope status`, then the page from step 3
set -u

T=/tmp/demo
PORT=8080
rm -rf $T
mkdir -p $T

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

DATA=/mnt/disk/demo.dat
[ -d /mnt/disk ] || DATA=$T/demo.dat
dd if=/dev/urandom of=$DATA bs=1M count=8 2>/dev/null
sync
echo 3 > /proc/sys/vm/drop_caches

demo_server -p $PORT -b 4 -a 3 -f $DATA -g $T/gate -R $T/ready -D $T/done -t 50 &
SRV=$!
i=0
while [ ! -e $T/ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e $T/ready ] || { echo "demo: the sample server did not start" >&2; exit 1; }

say "procscope show -d 10 $SRV     (watching the sample server for 10 s)"
procscope show -d 10 $SRV > $T/show.txt 2> $T/show.err &
SHOW=$!
# The watch is in place once the module counts one.
i=0
until procscope --json status | grep -q '"active":[1-9]'; do
	sleep 0.1
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo: the watch did not start: $(cat $T/show.err)" >&2; exit 1; }
done
touch $T/gate
sock_client -p $PORT -n 7 -w 1000 -h 40 > $T/client.out 2>&1 &
CLI=$!

i=0
while [ ! -e $T/done ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done

say "procscope status"
procscope status

wait $SHOW
RC=$?
say "procscope show $SRV"
cat $T/show.txt
[ $RC = 0 ] || { echo "demo: procscope show failed: $(cat $T/show.err)" >&2; }

cat <<EOF

What you are looking at:
  MEMORY       anon is the 16 MiB the server touched, half of it pushed out to
               zram (SWAP) and a quarter read back; file is the 8 MiB data file.
  PAGE TABLES  the tree the kernel built for this: a few table pages per level,
               where one flat table for the whole address space would take TiBs.
  PAGE FAULTS  anon: first touches; file_major: the data file read from disk;
               swap: the pages read back from zram; cow: writes after fork();
               stack: the stack growing. Look at how much a major fault costs.
  SOCKETS      the listener's accept queue against backlog 4, the drops of the
               burst, and 3 accepted connections with 1000 unread bytes each.
Next: docs/show-and-top.md, 'procscope top -p PID', and the labs in docs/labs/.
EOF

touch $T/gate.stop
kill $CLI 2>/dev/null
wait $SRV 2>/dev/null
wait $CLI 2>/dev/null
rm -f $DATA
exit $RC
