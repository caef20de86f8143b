/*
 * Helpers shared by the IpcIo tests: run a writer in a forked child and get its bytes back over a pipe, as
 * OpenHarmony's serializer tests do, which shows the encoding does not depend on where the buffer lives.
 */
#ifndef HARMONIA_TESTS_IPCIO_TEST_UTIL_H
#define HARMONIA_TESTS_IPCIO_TEST_UTIL_H

#include <serializer.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef void (*ipcio_writer_fn)(IpcIo *io);

static inline int ipcio_test_write_all(int fd, const void *data, size_t length)
{
    const char *at = data;
    while (length > 0) {
        ssize_t n = write(fd, at, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        at += n;
        length -= (size_t)n;
    }
    return 0;
}

/*
 * Forks a child that sets up an IpcIo over its own MAX_IO_SIZE buffer (no objects), runs writer and sends the
 * written bytes back. Returns the number of bytes (copied to out), or -1 if the child failed or the writer left
 * the IpcIo failed.
 */
static inline long ipcio_written_by_child(ipcio_writer_fn writer, char *out, size_t capacity)
{
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(pipe_fds[0]);
        static char buffer[MAX_IO_SIZE];
        IpcIo io;
        IpcIoInit(&io, buffer, sizeof buffer, 0);
        writer(&io);
        int status = IpcIoAvailable(&io) ? 0 : 1;
        if (status == 0 && ipcio_test_write_all(pipe_fds[1], io.bufferBase,
                                                (size_t)(io.bufferCur - io.bufferBase)) != 0)
            status = 2;
        _exit(status);
    }
    close(pipe_fds[1]);
    size_t total = 0;
    for (;;) {
        ssize_t n = read(pipe_fds[0], out + total, capacity - total);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += (size_t)n;
    }
    close(pipe_fds[0]);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (long)total;
}

#endif /* HARMONIA_TESTS_IPCIO_TEST_UTIL_H */
