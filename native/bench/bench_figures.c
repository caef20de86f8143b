/*
 * harmonia-bench's figures, group by group (bench_figures.h). The benchmarks they read are named in the group
 * files: bench_transport.c, bench_ipcio.c, bench_spawn.c.
 */
#include "bench_figures.h"

#define RT "c.transport.RoundTrip.roundTrip"
#define TP "c.transport.Throughput.send"
#define IPCIO "c.ipcio.IpcIo.writeRead"
#define SPAWN "c.spawn.Spawn.spawn"

const bench_figure_spec bench_figure_specs[] = {
    {"transport.roundtrip.spin.p50", "transport", "Channel round trip, 32 B, both ends spinning, p50", 1, "lower",
     {"Harmonia channel, spin", RT, "harmonia-spin", "32"}, {"Unix domain socket", RT, "unix-socket", "32"}},
    {"transport.roundtrip.blocking.p50", "transport", "Channel round trip, 32 B, both ends parked (futex), p50", 1,
     "lower", {"Harmonia channel, blocking", RT, "harmonia-blocking", "32"},
     {"Unix domain socket", RT, "unix-socket", "32"}},
    {"transport.roundtrip.blocking.vs-pipe", "transport", "Channel round trip, 32 B, parked, p50, against a pipe", 1,
     "lower", {"Harmonia channel, blocking", RT, "harmonia-blocking", "32"}, {"pipe", RT, "pipe", "32"}},
    {"transport.roundtrip.spin.vs-floor", "transport",
     "Channel round trip, 32 B, spinning, p50, over the physical floor (a counter ping-ponged in one cache line)", 1,
     "lower", {"Harmonia channel, spin", RT, "harmonia-spin", "32"}, {"cache line", RT, "cacheline-spin", "32"}},
    {"transport.ring.64.vs-socket", "transport", "One-to-one ring between processes, 64 B, messages/s", 0, "higher",
     {"Harmonia 1:1 ring", TP, "harmonia-one-to-one", "64"}, {"Unix domain socket", TP, "unix-socket", "64"}},
    {"transport.channel.64.vs-socket", "transport", "Channel with its frames between processes, 64 B, messages/s", 0,
     "higher", {"Harmonia channel", TP, "harmonia-channel", "64"}, {"Unix domain socket", TP, "unix-socket", "64"}},
    {"transport.channel.1024.vs-socket", "transport", "Channel with its frames between processes, 1024 B, messages/s",
     0, "higher", {"Harmonia channel", TP, "harmonia-channel", "1024"},
     {"Unix domain socket", TP, "unix-socket", "1024"}},
    {"ipcio.small.inline.vs-memcpy", "ipcio",
     "IpcIo small message (4 ints, a 32-char string: 56 B) write+read, C inline fast path, ns", 0, "lower",
     {"harmonia/ipcio.h inline", IPCIO, "small", "inline"}, {"memcpy encoder", IPCIO, "small", "memcpy"}},
    {"ipcio.small.serializer.vs-memcpy", "ipcio", "IpcIo small message write+read, serializer.h functions, ns", 0,
     "lower", {"serializer.h", IPCIO, "small", "serializer"}, {"memcpy encoder", IPCIO, "small", "memcpy"}},
    {"ipcio.kilo.inline.vs-memcpy", "ipcio", "IpcIo 1 KiB message write+read, C inline fast path, ns", 0, "lower",
     {"harmonia/ipcio.h inline", IPCIO, "kilo", "inline"}, {"memcpy encoder", IPCIO, "kilo", "memcpy"}},
    {"spawn.warm.vs-posix-spawn", "spawn", "appspawn warm start until the app is ready (3 ms between spawns), p50",
     1, "lower", {"appspawn warm start", SPAWN, "warm", "3"}, {"posix_spawn /bin/true", SPAWN, "posix-spawn", "3"}},
    {"spawn.cold.vs-posix-spawn", "spawn", "appspawn cold start (the launcher executed) until ready, p50", 1,
     "lower", {"appspawn cold start", SPAWN, "cold", "3"}, {"posix_spawn /bin/true", SPAWN, "posix-spawn", "3"}},
};

const int bench_figure_spec_count = (int)(sizeof bench_figure_specs / sizeof bench_figure_specs[0]);
