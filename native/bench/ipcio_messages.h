/*
 * The IpcIo messages shared by the C benchmarks (ipcio_messages.c says what they are). Each variant is one
 * noinline function named after its id (small_inline, ...), so that
 * `valgrind --tool=callgrind --toggle-collect=<id>*` counts one variant's instructions on its own.
 */
#ifndef HARMONIA_BENCH_IPCIO_MESSAGES_H
#define HARMONIA_BENCH_IPCIO_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

enum ipcio_kind { SMALL_MEMCPY, SMALL_IPCIO, SMALL_INLINE, KILO_MEMCPY, KILO_IPCIO, KILO_INLINE, IPCIO_KIND_COUNT };

/* One round's cost per message: wall time, and the thread's CPU time (which leaves out the time other
 * processes on a busy machine hold the CPU). */
struct ipcio_cost {
    double wall;
    double cpu;
};

/* The variants' function names ("small_inline"), and their descriptions. */
extern const char *const ipcio_kind_ids[IPCIO_KIND_COUNT];
extern const char *const ipcio_kind_names[IPCIO_KIND_COUNT];

/* Fills the 1 KiB message's text; call once before anything else. */
void ipcio_messages_init(void);
/* Writes and reads back one message into buffer; returns a value that depends on what was read. */
uint64_t ipcio_one_message(enum ipcio_kind kind, char *buffer, size_t size);
/* Runs `iterations` messages of one variant back to back. */
struct ipcio_cost ipcio_run(enum ipcio_kind kind, long iterations);
/* 0 when the variant writes the first `length` bytes the baseline writes (like for like), else 1 with a message on
 * stderr. */
int ipcio_check_same_bytes(enum ipcio_kind kind, enum ipcio_kind baseline, size_t length);
/* Every variant against its baseline. */
int ipcio_check_all(void);

#endif /* HARMONIA_BENCH_IPCIO_MESSAGES_H */
