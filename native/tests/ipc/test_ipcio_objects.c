/*
 * The hm_ipcio API: messages in caller memory of any size, and objects carried between real processes the way
 * the channel carries them (data + object table in one datagram, the fds beside it as SCM_RIGHTS), including
 * fd renumbering, ownership and release, and large raw data as sealed memfds mapped read-only.
 */
#include <serializer.h>
#include <harmonia/ipcio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hm_test.h"

#define MAX_TEST_OBJECTS 8
#define MAX_TEST_DATA (64 * 1024)

/* A received message, as the test transport delivers it. */
struct received {
    alignas(8) char data[MAX_TEST_DATA];
    size_t offsets[MAX_TEST_OBJECTS];
    size_t data_length;
    size_t object_count;
    int32_t fds[MAX_TEST_OBJECTS];
    size_t fd_count;
};

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

/* The test transport's sender: one SOCK_SEQPACKET datagram holding {data length, object count, data, table},
 * with the fds of the fd objects, in table order, as SCM_RIGHTS. */
static int send_message(int socket_fd, const IpcIo *io)
{
    static char datagram[2 * sizeof(uint64_t) + MAX_TEST_DATA + MAX_TEST_OBJECTS * sizeof(size_t)];
    uint64_t header[2] = {hm_ipcio_data_length(io), hm_ipcio_object_count(io)};
    if (header[0] > MAX_TEST_DATA || header[1] > MAX_TEST_OBJECTS)
        return -EMSGSIZE;
    memcpy(datagram, header, sizeof header);
    memcpy(datagram + sizeof header, io->bufferBase, (size_t)header[0]);
    memcpy(datagram + sizeof header + header[0], io->offsetsBase, (size_t)header[1] * sizeof(size_t));
    int32_t fds[MAX_TEST_OBJECTS];
    size_t fd_count;
    int err = hm_ipcio_collect_fds(io, fds, MAX_TEST_OBJECTS, &fd_count);
    if (err != 0)
        return err;
    struct iovec iov = {.iov_base = datagram, .iov_len = sizeof header + header[0] + header[1] * sizeof(size_t)};
    union {
        char buf[CMSG_SPACE(sizeof(int) * MAX_TEST_OBJECTS)];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd_count > 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * fd_count);
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fd_count);
        memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * fd_count);
    }
    return sendmsg(socket_fd, &msg, 0) < 0 ? -errno : 0;
}

static int receive_message(int socket_fd, struct received *out)
{
    static char datagram[2 * sizeof(uint64_t) + MAX_TEST_DATA + MAX_TEST_OBJECTS * sizeof(size_t)];
    union {
        char buf[CMSG_SPACE(sizeof(int) * MAX_TEST_OBJECTS)];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = datagram, .iov_len = sizeof datagram};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    ssize_t n = recvmsg(socket_fd, &msg, MSG_CMSG_CLOEXEC);
    if (n < (ssize_t)(2 * sizeof(uint64_t)))
        return -EPROTO;
    uint64_t header[2];
    memcpy(header, datagram, sizeof header);
    out->data_length = (size_t)header[0];
    out->object_count = (size_t)header[1];
    memcpy(out->data, datagram + sizeof header, out->data_length);
    memcpy(out->offsets, datagram + sizeof header + out->data_length, out->object_count * sizeof(size_t));
    out->fd_count = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            out->fd_count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(out->fds, CMSG_DATA(c), out->fd_count * sizeof(int));
        }
    return 0;
}

static void init_checks_its_arguments(void)
{
    alignas(8) char data[64];
    size_t offsets[4];
    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init(NULL, data, sizeof data, offsets, 4), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, NULL, sizeof data, offsets, 4), -EINVAL);
    HM_CHECK(!IpcIoAvailable(&io));
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, 0, offsets, 4), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, NULL, 4), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, (size_t *)(void *)(data + 1), 4), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, NULL, 0), 0);
    HM_CHECK(IpcIoAvailable(&io));
    /* No table: objects cannot be written. */
    HM_CHECK(!WriteFileDescriptor(&io, 3));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), -EINVAL);
}

/* Caller memory of any size: items far above the compatible API's 8192-byte limit. */
static void unbounded_writer_has_no_8192_limit(void)
{
    static alignas(8) char data[4 * MAX_IO_SIZE];
    static char text[2 * MAX_IO_SIZE];
    static int32_t ints[3000];
    memset(text, 'w', sizeof text - 1);
    for (size_t i = 0; i < 3000; i++)
        ints[i] = (int32_t)i;
    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, NULL, 0), 0);
    HM_CHECK(WriteString(&io, text));
    HM_CHECK(WriteInt32Vector(&io, ints, 3000));
    HM_CHECK_INT_EQ(hm_ipcio_data_length(&io), 4 + sizeof text + 4 + sizeof ints);
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    size_t n;
    const char *s = (const char *)ReadString(&io, &n);
    HM_CHECK(s != NULL && n == sizeof text - 1 && s[n - 1] == 'w');
    int32_t *read = ReadInt32Vector(&io, &n);
    HM_CHECK(read != NULL && n == 3000 && read[2999] == 2999);
    HM_CHECK_INT_EQ(hm_ipcio_data_length(&io), 4 + sizeof text + 4 + sizeof ints);
    /* A reader is read-only. */
    HM_CHECK(!WriteInt32(&io, 1));
}

/* Object tables from another process are validated before anything reads them. */
static void init_reader_validates_the_object_table(void)
{
    static alignas(8) char data[256];
    size_t offsets[3];
    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 3), 0);
    HM_CHECK(WriteInt32(&io, 1) && WriteFileDescriptor(&io, 3) && WriteInt8Unaligned(&io, 2));
    SvcIdentity svc = {.handle = 4, .token = 5, .cookie = 6};
    HM_CHECK(WriteRemoteObject(&io, &svc));
    size_t length = hm_ipcio_data_length(&io);
    HM_CHECK_INT_EQ(length, 4 + 24 + 1 + 24);
    HM_CHECK_INT_EQ(offsets[0], 4);
    HM_CHECK_INT_EQ(offsets[1], 29);

    IpcIo reader;
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, offsets, 2), 0);
    HM_CHECK_INT_EQ(hm_ipcio_object_count(&reader), 2);
    HM_CHECK_INT_EQ(hm_ipcio_fd_count(&reader), 1);
    hm_ipcio_object object;
    HM_CHECK_INT_EQ(hm_ipcio_object_at(&reader, 1, &object), 0);
    HM_CHECK(object.type == HM_IPCIO_TYPE_HANDLE && object.handle == 4 && object.token == 5 && object.cookie == 6);
    HM_CHECK(object.offset == 29 && object.flags == HM_IPCIO_OBJECT_FLAGS && object.fd == -1);
    HM_CHECK_INT_EQ(hm_ipcio_object_at(&reader, 0, &object), 0);
    HM_CHECK(object.type == HM_IPCIO_TYPE_FD && object.fd == 3 && object.cookie == 1);
    HM_CHECK_INT_EQ(hm_ipcio_object_at(&reader, 2, &object), -EINVAL);

    size_t bad[2];
    bad[0] = 4, bad[1] = length - 23; /* record runs past the end */
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, bad, 2), -EBADMSG);
    HM_CHECK(!IpcIoAvailable(&reader));
    bad[0] = 4, bad[1] = 20; /* overlaps the first record */
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, bad, 2), -EBADMSG);
    bad[0] = 29, bad[1] = 4; /* not increasing */
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, bad, 2), -EBADMSG);
    bad[0] = 0; /* an int32, not an object */
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, bad, 1), -EBADMSG);
    bad[0] = SIZE_MAX - 3; /* offset + 24 wraps */
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, bad, 1), -EBADMSG);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, NULL, 1), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, NULL, 4, NULL, 0), -EINVAL);
    /* An empty message is valid. */
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, NULL, 0, NULL, 0), 0);
    int32_t value;
    HM_CHECK(!ReadInt32(&reader, &value));
    hm_ipcio_release(&io);
}

/*
 * A writer in a channel slot shares its memory with the receiver, which can rewrite the records before the fds
 * are sent: what is sent is what was written (never an fd the record names by then), also after IpcIoAppend.
 */
static void writer_sends_the_fds_it_wrote_not_what_the_records_say(void)
{
    static alignas(8) char data[256], more[128];
    size_t offsets[4], more_offsets[2];
    IpcIo io, appended;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 4), 0);
    SvcIdentity svc = {.handle = 0, .token = 1, .cookie = 2};
    HM_CHECK(WriteFileDescriptor(&io, 10) && WriteRemoteObject(&io, &svc));
    /* The peer renumbers the fd record and turns the remote object into an fd of ours. */
    const uint32_t ours = 0, fd_type = HM_IPCIO_TYPE_FD;
    memcpy(data + offsets[0] + 8, &ours, sizeof ours);
    memcpy(data + offsets[1], &fd_type, sizeof fd_type);
    HM_CHECK_INT_EQ(hm_ipcio_init(&appended, more, sizeof more, more_offsets, 2), 0);
    HM_CHECK(WriteFileDescriptor(&appended, 11));
    HM_CHECK(IpcIoAppend(&io, &appended));
    memcpy(data + offsets[2] + 8, &ours, sizeof ours);
    int32_t fds[4];
    size_t count = 0;
    HM_CHECK_INT_EQ(hm_ipcio_fd_count(&io), 2);
    HM_CHECK_INT_EQ(hm_ipcio_collect_fds(&io, fds, 4, &count), 0);
    HM_CHECK(count == 2 && fds[0] == 10 && fds[1] == 11);
    hm_ipcio_release(&appended);
    hm_ipcio_release(&io);
}

/*
 * A received message's fd records can be rewritten by the sender after the fds were installed: readers hand out
 * the installed fds only, and an object turned into an fd afterwards has none.
 */
static void reader_hands_out_installed_fds_not_what_the_records_say(void)
{
    static alignas(8) char data[256];
    size_t offsets[2];
    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 2), 0);
    SvcIdentity svc = {.handle = 0, .token = 1, .cookie = 2};
    HM_CHECK(WriteFileDescriptor(&io, 7) && WriteRemoteObject(&io, &svc));
    const size_t length = hm_ipcio_data_length(&io);
    hm_ipcio_release(&io);
    IpcIo reader;
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&reader, data, length, offsets, 2), 0);
    const int32_t installed[1] = {open("/dev/null", O_RDONLY | O_CLOEXEC)};
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&reader, installed, 1), 0);
    const uint32_t ours = 1, fd_type = HM_IPCIO_TYPE_FD;
    memcpy(data + offsets[0] + 8, &ours, sizeof ours); /* stdout's number */
    memcpy(data + offsets[1], &fd_type, sizeof fd_type);
    hm_ipcio_object object;
    HM_CHECK_INT_EQ(hm_ipcio_object_at(&reader, 0, &object), 0);
    HM_CHECK_INT_EQ(object.fd, installed[0]);
    HM_CHECK_INT_EQ(ReadFileDescriptor(&reader), installed[0]);
    HM_CHECK_INT_EQ(ReadFileDescriptor(&reader), -1); /* no fd came for the second object */
    close(installed[0]);
    hm_ipcio_release(&reader);
}

static void collect_fds_lists_fd_objects_in_order(void)
{
    static alignas(8) char data[256];
    size_t offsets[4];
    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 4), 0);
    SvcIdentity svc = {.handle = 0, .token = 1, .cookie = 2};
    HM_CHECK(WriteFileDescriptor(&io, 10) && WriteRemoteObject(&io, &svc) && WriteFileDescriptor(&io, 11));
    int32_t fds[2];
    size_t count = 0;
    HM_CHECK_INT_EQ(hm_ipcio_collect_fds(&io, fds, 2, &count), 0);
    HM_CHECK(count == 2 && fds[0] == 10 && fds[1] == 11);
    HM_CHECK_INT_EQ(hm_ipcio_collect_fds(&io, fds, 1, &count), -ENOSPC);
    HM_CHECK_INT_EQ(hm_ipcio_collect_fds(&io, NULL, 0, NULL), -EINVAL);
    HM_CHECK(!WriteFileDescriptor(&io, 0x80000000u)); /* not an fd number */
    hm_ipcio_release(&io);
}

/* A child writes a message with two fds and an int; the parent receives it with the fds renumbered, installs
 * them, reads them, and release closes the one it did not take. */
static void fds_cross_processes_renumbered_and_owned(void)
{
    int sockets[2], pipe_fds[2];
    HM_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) == 0);
    HM_CHECK(pipe2(pipe_fds, O_CLOEXEC) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(sockets[0]);
        static alignas(8) char data[256];
        size_t offsets[4];
        IpcIo io;
        int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        /* Push the fd numbers up, so the receiver's numbers differ from the sender's. */
        int high_pipe = fcntl(pipe_fds[1], F_DUPFD_CLOEXEC, 40);
        int ok = hm_ipcio_init(&io, data, sizeof data, offsets, 4) == 0 && WriteInt32(&io, 123) &&
                 WriteFileDescriptor(&io, (uint32_t)high_pipe) && WriteString(&io, "between") &&
                 WriteFileDescriptor(&io, (uint32_t)devnull);
        int err = ok ? send_message(sockets[1], &io) : -1;
        if (write(high_pipe, "from child", 10) != 10)
            err = -2;
        _exit(err == 0 ? 0 : 1);
    }
    close(sockets[1]);
    close(pipe_fds[1]);
    static struct received message;
    HM_CHECK_INT_EQ(receive_message(sockets[0], &message), 0);
    int status;
    HM_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(sockets[0]);
    HM_CHECK_INT_EQ(message.fd_count, 2);

    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, message.data, message.data_length, message.offsets,
                                         message.object_count), 0);
    HM_CHECK_INT_EQ(hm_ipcio_fd_count(&io), 2);
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, message.fds, 1), -EPROTO);
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, message.fds, 2), 0);
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, message.fds, 2), -EALREADY);
    int32_t value;
    HM_CHECK(ReadInt32(&io, &value) && value == 123);
    int32_t pipe_end = ReadFileDescriptor(&io);
    HM_CHECK_INT_EQ(pipe_end, message.fds[0]);
    HM_CHECK(pipe_end < 40); /* renumbered: the child's number was at least 40 */
    size_t n;
    HM_CHECK_STR_EQ((const char *)ReadString(&io, &n), "between");
    /* The received pipe end is the child's: both ends now have a writer in this process. */
    char text[16] = {0};
    HM_CHECK(read(pipe_fds[0], text, sizeof text) == 10 && memcmp(text, "from child", 10) == 0);
    /* The second fd is never read: release closes it; the first was taken and stays open. */
    int32_t untaken = message.fds[1];
    HM_CHECK(fd_is_open(untaken));
    hm_ipcio_release(&io);
    HM_CHECK(!fd_is_open(untaken) && errno == EBADF);
    HM_CHECK(fd_is_open(pipe_end));
    HM_CHECK(!IpcIoAvailable(&io));
    hm_ipcio_release(&io); /* twice is fine */
    close(pipe_end);
    close(pipe_fds[0]);
}

static void install_fds_checks_its_arguments(void)
{
    static alignas(8) char data[128];
    size_t offsets[2];
    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 2), 0);
    HM_CHECK(WriteFileDescriptor(&io, 3));
    int32_t fds[1] = {0};
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, fds, 1), -EINVAL); /* a writer */
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    fds[0] = -1;
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, fds, 1), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, NULL, 1), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, fds, 0), -EPROTO);
    /* Nothing changed: the record still holds the sender's number. */
    hm_ipcio_object object;
    HM_CHECK(hm_ipcio_object_at(&io, 0, &object) == 0 && object.fd == 3);
    hm_ipcio_release(&io); /* an hm_ipcio_init writer keeps nodes for the fds it wrote */
}

static bool is_mapped(const void *addr)
{
    unsigned char vec;
    return mincore((void *)((uintptr_t)addr & ~(uintptr_t)(sysconf(_SC_PAGESIZE) - 1)), 1, &vec) == 0;
}

/* Raw data above 32 KiB goes into a sealed memfd in the child; the parent maps it read-only, and release
 * unmaps it and closes the fd. Exactly 32 KiB stays inline. */
static void large_raw_data_travels_as_a_sealed_memfd(void)
{
    enum { LARGE = 1024 * 1024 + 3 };
    int sockets[2];
    HM_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(sockets[0]);
        static alignas(8) char data[HM_IPCIO_RAW_INLINE_MAX + 256];
        static char payload[LARGE];
        for (size_t i = 0; i < sizeof payload; i++)
            payload[i] = (char)(i * 7);
        size_t offsets[2];
        IpcIo io;
        int ok = hm_ipcio_init(&io, data, sizeof data, offsets, 2) == 0 &&
                 WriteRawData(&io, payload, HM_IPCIO_RAW_INLINE_MAX) && WriteRawData(&io, payload, LARGE) &&
                 WriteInt32(&io, 77);
        ok = ok && hm_ipcio_object_count(&io) == 1 &&
             hm_ipcio_data_length(&io) == 4 + HM_IPCIO_RAW_INLINE_MAX + 4 + 24 + 4;
        int err = ok ? send_message(sockets[1], &io) : -1;
        hm_ipcio_release(&io); /* the writer closes its memfd after sending */
        _exit(err == 0 ? 0 : 1);
    }
    close(sockets[1]);
    static struct received message;
    HM_CHECK_INT_EQ(receive_message(sockets[0], &message), 0);
    int status;
    HM_CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(sockets[0]);
    HM_CHECK_INT_EQ(message.fd_count, 1);

    IpcIo io;
    HM_CHECK_INT_EQ(hm_ipcio_init_reader(&io, message.data, message.data_length, message.offsets,
                                         message.object_count), 0);
    HM_CHECK_INT_EQ(hm_ipcio_install_fds(&io, message.fds, message.fd_count), 0);
    const char *inline_data = ReadRawData(&io, HM_IPCIO_RAW_INLINE_MAX);
    HM_CHECK(inline_data == message.data + 4);
    const unsigned char *large = ReadRawData(&io, LARGE);
    HM_CHECK(large != NULL);
    bool same = large != NULL;
    for (size_t i = 0; same && i < LARGE; i++)
        same = large[i] == (unsigned char)(i * 7);
    HM_CHECK(same);
    int32_t value;
    HM_CHECK(ReadInt32(&io, &value) && value == 77);
    /* Read-only: the mapping refuses to become writable (the memfd is sealed against writes). */
    HM_CHECK(large == NULL || mprotect((void *)(uintptr_t)large, 4096, PROT_READ | PROT_WRITE) != 0);
    /* The memfd cannot shrink under the reader. */
    HM_CHECK(ftruncate(message.fds[0], 10) != 0 && errno == EPERM);
    HM_CHECK(large != NULL && is_mapped(large));
    hm_ipcio_release(&io);
    HM_CHECK(large == NULL || !is_mapped(large));
    HM_CHECK(!fd_is_open(message.fds[0]));
}

/* How many raw-data memfds this process has mapped (/proc/self/maps names them). */
static int raw_data_mappings(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL)
        return -1;
    int count = 0;
    char line[512];
    while (fgets(line, sizeof line, maps) != NULL)
        if (strstr(line, "harmonia-ipcio-raw") != NULL)
            count++;
    fclose(maps);
    return count;
}

/* The size limits of raw data on an unbounded writer, and a mismatched size on the reader. */
static void raw_data_limits(void)
{
    static alignas(8) char data[256];
    size_t offsets[2];
    IpcIo io;
    char byte = 1;
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 2), 0);
    HM_CHECK(!WriteRawData(&io, &byte, (size_t)HM_IPCIO_RAW_MAX + 1));
    int32_t fd;
    void *addr;
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_create(0, &fd, &addr), -EINVAL);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_create((size_t)HM_IPCIO_RAW_MAX + 1, &fd, &addr), -EINVAL);
    /* The largest size is accepted (sparse: nothing is touched). */
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_create(HM_IPCIO_RAW_MAX, &fd, &addr), 0);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_seal(fd, addr, HM_IPCIO_RAW_MAX), 0);
    const void *view;
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_map(fd, HM_IPCIO_RAW_MAX, &view), 0);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_unmap(view, HM_IPCIO_RAW_MAX), 0);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_map(fd, HM_IPCIO_RAW_MAX - 1, &view), -EBADMSG); /* wrong size */
    close(fd);

    /* A reader asking for a different size than was written fails without mapping anything. */
    static char payload[HM_IPCIO_RAW_INLINE_MAX + 1];
    HM_CHECK_INT_EQ(hm_ipcio_init(&io, data, sizeof data, offsets, 2), 0);
    HM_CHECK(WriteRawData(&io, payload, sizeof payload));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    HM_CHECK(ReadRawData(&io, sizeof payload + 1) == NULL);
    HM_CHECK_INT_EQ(raw_data_mappings(), 0);
    hm_ipcio_release(&io);
}

/* The reader refuses memfds that are not sealed, and files that are not memfds. */
static void rawdata_map_refuses_unsealed_files(void)
{
    int fd = memfd_create("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    HM_CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
    const void *view;
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_map(fd, 4096, &view), -EPERM);
    HM_CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == 0);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_map(fd, 4096, &view), -EPERM); /* still writable */
    close(fd);
    int pipe_fds[2];
    HM_CHECK(pipe2(pipe_fds, O_CLOEXEC) == 0);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_map(pipe_fds[0], 4096, &view), -EBADMSG);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    HM_CHECK_INT_EQ(hm_ipcio_rawdata_map(-1, 4096, &view), -EBADF);
}

static int freed_count;
static void *freed_last;

static void record_free(void *ptr)
{
    freed_count++;
    freed_last = ptr;
}

/* LiteIPC data buffers: a separately mapped copy for the reader; the writer's free callback runs at
 * IpcIoFreeDataBuff. */
static void lite_data_buffers(void)
{
    char buffer[256];
    char payload[100];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (char)i;
    IpcIo io;
    IpcIoInit(&io, buffer, sizeof buffer, 2);
    BuffPtr buff = {.buffSz = sizeof payload, .buff = payload};
    IpcIoPushDataBuffWithFree(&io, &buff, record_free);
    IpcIoPushInt32(&io, 5);
    HM_CHECK(IpcIoAvailable(&io));
    HM_CHECK_INT_EQ(hm_ipcio_flip(&io), 0);
    BuffPtr *copy = IpcIoPopDataBuff(&io);
    HM_CHECK(copy != NULL && copy->buffSz == sizeof payload && copy->buff != payload);
    HM_CHECK(copy != NULL && memcmp(copy->buff, payload, sizeof payload) == 0);
    HM_CHECK_INT_EQ(IpcIoPopInt32(&io), 5);
    HM_CHECK_INT_EQ(freed_count, 0);
    IpcIoFreeDataBuff(&io);
    HM_CHECK(freed_count == 1 && freed_last == payload);
    /* Limits: 1..65536 bytes. */
    static char big[HM_IPCIO_DATA_BUFF_MAX + 1];
    IpcIoInit(&io, buffer, sizeof buffer, 2);
    buff = (BuffPtr){.buffSz = sizeof big, .buff = big};
    IpcIoPushDataBuff(&io, &buff);
    HM_CHECK(!IpcIoAvailable(&io));
}

static void dup_and_close_helpers(void)
{
    int32_t copy;
    HM_CHECK_INT_EQ(hm_ipcio_fd_dup(0, &copy), 0);
    HM_CHECK(copy >= 3 && (fcntl(copy, F_GETFD) & FD_CLOEXEC));
    HM_CHECK_INT_EQ(hm_ipcio_fd_close(copy), 0);
    HM_CHECK_INT_EQ(hm_ipcio_fd_close(copy), -EBADF);
    HM_CHECK_INT_EQ(hm_ipcio_fd_dup(-1, &copy), -EBADF);
}

int main(void)
{
    HM_RUN(init_checks_its_arguments);
    HM_RUN(unbounded_writer_has_no_8192_limit);
    HM_RUN(init_reader_validates_the_object_table);
    HM_RUN(collect_fds_lists_fd_objects_in_order);
    HM_RUN(writer_sends_the_fds_it_wrote_not_what_the_records_say);
    HM_RUN(reader_hands_out_installed_fds_not_what_the_records_say);
    HM_RUN(fds_cross_processes_renumbered_and_owned);
    HM_RUN(install_fds_checks_its_arguments);
    HM_RUN(large_raw_data_travels_as_a_sealed_memfd);
    HM_RUN(raw_data_limits);
    HM_RUN(rawdata_map_refuses_unsealed_files);
    HM_RUN(lite_data_buffers);
    HM_RUN(dup_and_close_helpers);
    return HM_TEST_SUMMARY();
}
