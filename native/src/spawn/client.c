/*
 * The appspawn client: the seed's ClientSocket operations as C functions on a handle, and helpers that send one
 * whole request and read its reply. Blocking I/O on a close-on-exec AF_UNIX stream socket; EINTR is retried and
 * SIGPIPE is never raised (MSG_NOSIGNAL), so a daemon that went away shows as an error, not a signal.
 */
#include <harmonia/ipcio.h>
#include <harmonia/spawn.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "wire.h"

struct ClientSocket {
    int fd;
    struct sockaddr_un address;
};

int CreateClient(const char *socket_path, ClientSocket **ret_client)
{
    const char *path = socket_path ? socket_path : HM_SPAWN_DEFAULT_SOCKET;
    ClientSocket *client;
    size_t length = strlen(path);
    if (ret_client == NULL || length == 0 || length >= sizeof client->address.sun_path)
        return -EINVAL;
    client = calloc(1, sizeof *client);
    if (client == NULL)
        return -ENOMEM;
    client->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client->fd < 0) {
        int r = -errno;
        free(client);
        return r;
    }
    client->address.sun_family = AF_UNIX;
    memcpy(client->address.sun_path, path, length + 1);
    *ret_client = client;
    return 0;
}

int ConnectSocket(ClientSocket *client)
{
    if (client == NULL)
        return -EINVAL;
    while (connect(client->fd, (const struct sockaddr *)&client->address, sizeof client->address) < 0)
        if (errno != EINTR)
            return -errno;
    return 0;
}

int WriteSocketMessage(ClientSocket *client, const void *buf, int len)
{
    if (client == NULL || buf == NULL || len < 0)
        return -EINVAL;
    const char *p = buf;
    int done = 0;
    while (done < len) {
        ssize_t n = send(client->fd, p + done, (size_t)(len - done), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        done += (int)n;
    }
    return len;
}

int ReadSocketMessage(ClientSocket *client, void *buf, int len)
{
    if (client == NULL || buf == NULL || len < 0)
        return -EINVAL;
    char *p = buf;
    int done = 0;
    while (done < len) {
        ssize_t n = recv(client->fd, p + done, (size_t)(len - done), 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (n == 0)
            return -ECONNRESET;
        done += (int)n;
    }
    return len;
}

void CloseClient(ClientSocket *client)
{
    if (client == NULL)
        return;
    if (client->fd >= 0)
        close(client->fd);
    free(client);
}

/* Sends a whole message, then reads a reply of exactly reply_size bytes. */
static int exchange(ClientSocket *client, const void *message, size_t size, void *reply, size_t reply_size)
{
    int r = WriteSocketMessage(client, message, (int)size);
    if (r < 0)
        return r;
    r = ReadSocketMessage(client, reply, (int)reply_size);
    return r < 0 ? r : 0;
}

int hm_spawn_app(ClientSocket *client, const hm_spawn_request *request, int32_t *ret_reply, uint32_t *reterr_field)
{
    unsigned char message[HM_SPAWN_APP_PROPERTY_SIZE];
    unsigned char reply[4];
    size_t length;
    if (client == NULL || ret_reply == NULL)
        return -EINVAL;
    int r = hm_spawn_record_encode(request, message, sizeof message, &length, reterr_field);
    if (r < 0)
        return r;
    r = exchange(client, message, length, reply, sizeof reply);
    if (r < 0)
        return r;
    *ret_reply = (int32_t)hm_wire_get_u32(reply);
    return 0;
}

int hm_spawn_lite(ClientSocket *client, uint32_t func_id, const char *json, int32_t *ret_result, int64_t *ret_pid)
{
    unsigned char message[HM_SPAWN_MESSAGE_MAX];
    unsigned char reply[HM_SPAWN_LITE_REPLY_SIZE];
    IpcIo io;
    if (client == NULL || json == NULL || ret_result == NULL || ret_pid == NULL)
        return -EINVAL;
    /* The compatible API on purpose: its 8192-byte limit is the lite protocol's. */
    IpcIoInit(&io, message + HM_SPAWN_LITE_OFF_DATA, HM_SPAWN_LITE_DATA_MAX, 0);
    if (!WriteString(&io, json))
        return -EMSGSIZE;
    size_t data_size = hm_ipcio_data_length(&io);
    size_t length = HM_SPAWN_LITE_OFF_DATA + data_size;
    hm_wire_put_header(message, HM_SPAWN_MSG_LITE, (uint32_t)length);
    hm_wire_put_u32(message + HM_SPAWN_LITE_OFF_FUNC_ID, func_id);
    hm_wire_put_u32(message + HM_SPAWN_LITE_OFF_DATA_SIZE, (uint32_t)data_size);
    int r = exchange(client, message, length, reply, sizeof reply);
    if (r < 0)
        return r;
    int64_t pid;
    IpcIo reader;
    if (hm_wire_get_u32(reply + 4) != 8 || hm_ipcio_init_reader(&reader, reply + 8, 8, NULL, 0) < 0 ||
        !ReadInt64(&reader, &pid))
        return -EBADMSG;
    *ret_result = (int32_t)hm_wire_get_u32(reply);
    *ret_pid = pid;
    return 0;
}

int hm_spawn_terminate(ClientSocket *client, int32_t pid, int32_t *ret_reply)
{
    unsigned char message[HM_SPAWN_HEADER_SIZE + 4];
    unsigned char reply[4];
    if (client == NULL || ret_reply == NULL)
        return -EINVAL;
    hm_wire_put_header(message, HM_SPAWN_MSG_TERMINATE, sizeof message);
    hm_wire_put_u32(message + HM_SPAWN_HEADER_SIZE, (uint32_t)pid);
    int r = exchange(client, message, sizeof message, reply, sizeof reply);
    if (r < 0)
        return r;
    *ret_reply = (int32_t)hm_wire_get_u32(reply);
    return 0;
}

int hm_spawn_dump(ClientSocket *client, hm_spawn_child_info *entries, size_t capacity, size_t *ret_count)
{
    unsigned char message[HM_SPAWN_HEADER_SIZE];
    unsigned char head[HM_SPAWN_DUMP_HEADER_SIZE];
    unsigned char entry[HM_SPAWN_DUMP_ENTRY_SIZE];
    if (client == NULL || ret_count == NULL || (entries == NULL && capacity > 0))
        return -EINVAL;
    hm_wire_put_header(message, HM_SPAWN_MSG_DUMP, sizeof message);
    int r = exchange(client, message, sizeof message, head, sizeof head);
    if (r < 0)
        return r;
    uint32_t length = hm_wire_get_u32(head), count = hm_wire_get_u32(head + 4);
    if ((uint64_t)length != HM_SPAWN_DUMP_HEADER_SIZE + (uint64_t)count * HM_SPAWN_DUMP_ENTRY_SIZE)
        return -EBADMSG;
    /* Every entry is read, also those beyond capacity, so the connection stays in step for the next request. */
    for (uint32_t i = 0; i < count; i++) {
        r = ReadSocketMessage(client, entry, sizeof entry);
        if (r < 0)
            return r;
        if (i >= capacity)
            continue;
        hm_spawn_child_info *info = &entries[i];
        info->pid = (int32_t)hm_wire_get_u32(entry);
        info->uid = (int32_t)hm_wire_get_u32(entry + 4);
        info->start_time_ms = hm_wire_get_u64(entry + 8);
        info->flags = hm_wire_get_u32(entry + 16);
        memcpy(info->name, entry + 24, sizeof info->name);
        info->name[sizeof info->name - 1] = '\0';
    }
    *ret_count = count;
    return 0;
}
