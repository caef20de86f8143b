/*
 * Golden vectors, C side. Interprets golden/vectors.txt (the one definition both languages share):
 *   1. writes every vector and requires exactly the committed bytes of golden/from-c/<name>.bin;
 *   2. reads golden/from-c and golden/from-java (the bytes the Java side wrote) with the vector's read script,
 *      including the error vectors, which must fail at the marked read and stay failed;
 *   3. requires the Java-written bytes to equal the C-written ones.
 * Usage: test_ipcio_golden [<golden dir> [--regenerate]]   (--regenerate rewrites from-c/ instead of comparing;
 * the directory defaults to the source tree's, compiled in as HM_GOLDEN_DIR)
 *
 * File format of <name>.bin (little-endian): "HMGV", uint32 version 1, uint32 data length, uint32 object count,
 * uint32 offsets[object count], then the data.
 */
#include <serializer.h>
#include <harmonia/ipcio.h>

#include <errno.h>
#include <inttypes.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64
#define MAX_LINE 512
#define MAX_DATA (256 * 1024)
#define MAX_OBJECTS 64
#define MAX_TEXT 40000

struct item {
    char prefix; /* 0: write and read; 'w': write only; 'r': read only */
    char op[32];
    char *args[MAX_ARGS];
    int arg_count;
    bool fail;
    int line;
};

struct vector {
    char name[64];
    bool compat;
    struct item *items;
    int item_count;
};

static struct vector vectors[128];
static int vector_count;
static int failures;

#define REPORT(...)                                                                                             \
    do {                                                                                                        \
        fprintf(stderr, __VA_ARGS__);                                                                           \
        fputc('\n', stderr);                                                                                    \
        failures++;                                                                                             \
    } while (0)

/* ---- parsing ---- */

static char *copy_token(const char *start, size_t length)
{
    char *token = malloc(length + 1);
    if (token == NULL)
        abort();
    memcpy(token, start, length);
    token[length] = '\0';
    return token;
}

/* Splits a line into tokens; a quoted token keeps its quotes (and a following *N) for parse_text. */
static int tokenize(const char *line, char **tokens, int capacity)
{
    int count = 0;
    const char *at = line;
    while (*at != '\0' && count < capacity) {
        while (*at == ' ' || *at == '\t')
            at++;
        if (*at == '\0' || *at == '\n' || *at == '#')
            break;
        const char *start = at;
        if (*at == '"') {
            at++;
            while (*at != '\0' && *at != '"') {
                if (*at == '\\' && at[1] != '\0')
                    at++;
                at++;
            }
            if (*at == '"')
                at++;
        }
        while (*at != '\0' && *at != ' ' && *at != '\t' && *at != '\n')
            at++;
        tokens[count++] = copy_token(start, (size_t)(at - start));
    }
    return count;
}

static void load_vectors(const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        REPORT("cannot open %s: %s", path, strerror(errno));
        return;
    }
    char line[MAX_LINE * 64];
    int line_number = 0;
    struct vector *current = NULL;
    while (fgets(line, sizeof line, file) != NULL) {
        line_number++;
        char *tokens[MAX_ARGS + 4];
        int n = tokenize(line, tokens, MAX_ARGS + 4);
        if (n == 0)
            continue;
        if (strcmp(tokens[0], "vector") == 0) {
            current = &vectors[vector_count++];
            snprintf(current->name, sizeof current->name, "%s", tokens[1]);
            current->compat = n > 2 && strcmp(tokens[2], "compat") == 0;
            current->items = calloc(64, sizeof(struct item));
            for (int i = 0; i < n; i++)
                free(tokens[i]);
            continue;
        }
        struct item *item = &current->items[current->item_count++];
        item->line = line_number;
        int first = 0;
        if (strcmp(tokens[0], "w") == 0 || strcmp(tokens[0], "r") == 0) {
            item->prefix = tokens[0][0];
            free(tokens[0]);
            first = 1;
        }
        snprintf(item->op, sizeof item->op, "%s", tokens[first]);
        free(tokens[first]);
        for (int i = first + 1; i < n; i++) {
            if (i == n - 1 && strcmp(tokens[i], "FAIL") == 0) {
                item->fail = true;
                free(tokens[i]);
            } else {
                item->args[item->arg_count++] = tokens[i];
            }
        }
    }
    fclose(file);
}

/* "text"*N with \" \\ \n escapes, as UTF-8 bytes; returns the length. */
static size_t parse_text(const char *token, char *out, size_t capacity)
{
    size_t length = 0;
    const char *at = token + 1;
    char unit[256];
    size_t unit_length = 0;
    while (*at != '"' && *at != '\0') {
        char c = *at++;
        if (c == '\\') {
            c = *at++;
            if (c == 'n')
                c = '\n';
        }
        unit[unit_length++] = c;
    }
    long repeat = 1;
    if (*at == '"' && at[1] == '*')
        repeat = strtol(at + 2, NULL, 10);
    for (long r = 0; r < repeat; r++) {
        if (length + unit_length > capacity)
            abort();
        memcpy(out + length, unit, unit_length);
        length += unit_length;
    }
    return length;
}

/* UTF-8 to UTF-16 code units (the test texts are valid UTF-8). */
static size_t utf8_to_utf16(const char *in, size_t length, uint16_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < length;) {
        unsigned char c = (unsigned char)in[i];
        uint32_t cp;
        if (c < 0x80) {
            cp = c;
            i += 1;
        } else if (c < 0xe0) {
            cp = (uint32_t)(c & 0x1f) << 6 | (in[i + 1] & 0x3f);
            i += 2;
        } else if (c < 0xf0) {
            cp = (uint32_t)(c & 0x0f) << 12 | (uint32_t)(in[i + 1] & 0x3f) << 6 | (in[i + 2] & 0x3f);
            i += 3;
        } else {
            cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(in[i + 1] & 0x3f) << 12 | (uint32_t)(in[i + 2] & 0x3f) << 6 |
                 (in[i + 3] & 0x3f);
            i += 4;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[n++] = (uint16_t)(0xd800 | (cp >> 10));
            out[n++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
        } else {
            out[n++] = (uint16_t)cp;
        }
    }
    return n;
}

/* Hex bytes "HH" or "HH*N". */
static size_t parse_hex(const struct item *item, unsigned char *out, size_t capacity)
{
    size_t length = 0;
    for (int i = 0; i < item->arg_count; i++) {
        char *end;
        unsigned long value = strtoul(item->args[i], &end, 16);
        long repeat = *end == '*' ? strtol(end + 1, NULL, 10) : 1;
        for (long r = 0; r < repeat && length < capacity; r++)
            out[length++] = (unsigned char)value;
    }
    return length;
}

static int64_t arg_signed(const struct item *item, int i)
{
    return strtoll(item->args[i], NULL, 0);
}

static uint64_t arg_unsigned(const struct item *item, int i)
{
    return strtoull(item->args[i], NULL, 0);
}

static bool arg_bool(const struct item *item, int i)
{
    return strcmp(item->args[i], "true") == 0;
}

/* ---- writing ---- */

static char text[MAX_TEXT];
static uint16_t units[MAX_TEXT];
static unsigned char hex[MAX_DATA];

#define WRITE_VECTOR(type, writer, convert)                                                                     \
    do {                                                                                                        \
        type values[MAX_ARGS];                                                                                  \
        for (int i = 0; i < item->arg_count; i++)                                                               \
            values[i] = (type)convert;                                                                          \
        /* An empty vector is valid on the wire, but the C writers (like OpenHarmony's) refuse size 0. */      \
        return item->arg_count == 0 ? WriteUint32(io, 0) : writer(io, values, (size_t)item->arg_count);        \
    } while (0)

static bool write_item(IpcIo *io, const struct item *item)
{
    const char *op = item->op;
    if (strcmp(op, "bool") == 0)
        return WriteBool(io, arg_bool(item, 0));
    if (strcmp(op, "int8") == 0)
        return WriteInt8(io, (int8_t)arg_signed(item, 0));
    if (strcmp(op, "int16") == 0)
        return WriteInt16(io, (int16_t)arg_signed(item, 0));
    if (strcmp(op, "int32") == 0)
        return WriteInt32(io, (int32_t)arg_signed(item, 0));
    if (strcmp(op, "int64") == 0)
        return WriteInt64(io, arg_signed(item, 0));
    if (strcmp(op, "uint8") == 0)
        return WriteUint8(io, (uint8_t)arg_unsigned(item, 0));
    if (strcmp(op, "uint16") == 0)
        return WriteUint16(io, (uint16_t)arg_unsigned(item, 0));
    if (strcmp(op, "uint32") == 0)
        return WriteUint32(io, (uint32_t)arg_unsigned(item, 0));
    if (strcmp(op, "uint64") == 0)
        return WriteUint64(io, arg_unsigned(item, 0));
    if (strcmp(op, "bool_u") == 0)
        return WriteBoolUnaligned(io, arg_bool(item, 0));
    if (strcmp(op, "int8_u") == 0)
        return WriteInt8Unaligned(io, (int8_t)arg_signed(item, 0));
    if (strcmp(op, "int16_u") == 0)
        return WriteInt16Unaligned(io, (int16_t)arg_signed(item, 0));
    if (strcmp(op, "uint8_u") == 0)
        return WriteUint8Unaligned(io, (uint8_t)arg_unsigned(item, 0));
    if (strcmp(op, "uint16_u") == 0)
        return WriteUint16Unaligned(io, (uint16_t)arg_unsigned(item, 0));
    if (strcmp(op, "float") == 0) {
        uint32_t bits = (uint32_t)arg_unsigned(item, 0);
        float value;
        memcpy(&value, &bits, sizeof value);
        return WriteFloat(io, value);
    }
    if (strcmp(op, "double") == 0) {
        uint64_t bits = arg_unsigned(item, 0);
        double value;
        memcpy(&value, &bits, sizeof value);
        return WriteDouble(io, value);
    }
    if (strcmp(op, "string") == 0) {
        size_t length = parse_text(item->args[0], text, sizeof text - 1);
        text[length] = '\0';
        return WriteString(io, text);
    }
    if (strcmp(op, "string16") == 0 || strcmp(op, "token") == 0) {
        size_t length = utf8_to_utf16(text, parse_text(item->args[0], text, sizeof text), units);
        if (length == 0) /* valid on the wire; the C writers refuse it: the same bytes by hand */
            return WriteUint32(io, 0) && WriteUint32(io, 0);
        return op[0] == 's' ? WriteString16(io, units, length) : WriteInterfaceToken(io, units, length);
    }
    if (strcmp(op, "buffer") == 0)
        return WriteBuffer(io, hex, parse_hex(item, hex, sizeof hex));
    if (strcmp(op, "rawdata") == 0)
        return WriteRawData(io, hex, parse_hex(item, hex, sizeof hex));
    if (strcmp(op, "bytes") == 0) {
        size_t length = parse_hex(item, hex, sizeof hex);
        for (size_t i = 0; i < length; i++)
            if (!WriteUint8Unaligned(io, hex[i]))
                return false;
        return true;
    }
    if (strcmp(op, "fd") == 0)
        return WriteFileDescriptor(io, (uint32_t)arg_unsigned(item, 0));
    if (strcmp(op, "remote") == 0) {
        SvcIdentity svc = {.handle = (int32_t)arg_signed(item, 0),
                           .token = (uintptr_t)arg_unsigned(item, 1),
                           .cookie = (uintptr_t)arg_unsigned(item, 2)};
        return WriteRemoteObject(io, &svc);
    }
    if (strcmp(op, "table") == 0) {
        if (io->offsetsLeft == 0)
            return false;
        size_t offset = (size_t)arg_unsigned(item, 0);
        memcpy(io->offsetsCur, &offset, sizeof offset);
        io->offsetsCur++;
        io->offsetsLeft--;
        return true;
    }
    if (strcmp(op, "bool_vector") == 0)
        WRITE_VECTOR(bool, WriteBoolVector, arg_bool(item, i));
    if (strcmp(op, "int8_vector") == 0)
        WRITE_VECTOR(int8_t, WriteInt8Vector, arg_signed(item, i));
    if (strcmp(op, "int16_vector") == 0)
        WRITE_VECTOR(int16_t, WriteInt16Vector, arg_signed(item, i));
    if (strcmp(op, "int32_vector") == 0)
        WRITE_VECTOR(int32_t, WriteInt32Vector, arg_signed(item, i));
    if (strcmp(op, "int64_vector") == 0)
        WRITE_VECTOR(int64_t, WriteInt64Vector, arg_signed(item, i));
    if (strcmp(op, "uint8_vector") == 0)
        WRITE_VECTOR(uint8_t, WriteUInt8Vector, arg_unsigned(item, i));
    if (strcmp(op, "uint16_vector") == 0)
        WRITE_VECTOR(uint16_t, WriteUInt16Vector, arg_unsigned(item, i));
    if (strcmp(op, "uint32_vector") == 0)
        WRITE_VECTOR(uint32_t, WriteUInt32Vector, arg_unsigned(item, i));
    if (strcmp(op, "uint64_vector") == 0)
        WRITE_VECTOR(uint64_t, WriteUInt64Vector, arg_unsigned(item, i));
    if (strcmp(op, "float_vector") == 0) {
        float values[MAX_ARGS];
        for (int i = 0; i < item->arg_count; i++) {
            uint32_t bits = (uint32_t)arg_unsigned(item, i);
            memcpy(&values[i], &bits, sizeof bits);
        }
        return item->arg_count == 0 ? WriteUint32(io, 0) : WriteFloatVector(io, values, (size_t)item->arg_count);
    }
    if (strcmp(op, "double_vector") == 0) {
        double values[MAX_ARGS];
        for (int i = 0; i < item->arg_count; i++) {
            uint64_t bits = arg_unsigned(item, i);
            memcpy(&values[i], &bits, sizeof bits);
        }
        return item->arg_count == 0 ? WriteUint32(io, 0) : WriteDoubleVector(io, values, (size_t)item->arg_count);
    }
    fprintf(stderr, "line %d: unknown op %s\n", item->line, op);
    return false;
}

/* The file image of one message: header, table, data. */
struct image {
    unsigned char bytes[16 + MAX_OBJECTS * 4 + MAX_DATA];
    size_t length;
};

static void put_u32(unsigned char *at, uint32_t value)
{
    memcpy(at, &value, sizeof value);
}

static uint32_t get_u32(const unsigned char *at)
{
    uint32_t value;
    memcpy(&value, at, sizeof value);
    return value;
}

static bool write_vector(const struct vector *vector, struct image *image)
{
    static alignas(8) char data[MAX_DATA];
    static alignas(8) char compat_buffer[MAX_IO_SIZE];
    size_t offsets[MAX_OBJECTS];
    IpcIo io;
    if (vector->compat)
        IpcIoInit(&io, compat_buffer, sizeof compat_buffer, 0); /* compat vectors carry no objects */
    else if (hm_ipcio_init(&io, data, sizeof data, offsets, MAX_OBJECTS) != 0)
        return false;
    for (int i = 0; i < vector->item_count; i++) {
        const struct item *item = &vector->items[i];
        if (item->prefix == 'r')
            continue;
        if (!write_item(&io, item)) {
            REPORT("%s, line %d: writing %s failed", vector->name, item->line, item->op);
            hm_ipcio_release(&io);
            return false;
        }
    }
    size_t length = (size_t)(io.bufferCur - io.bufferBase);
    size_t objects = (size_t)(io.offsetsCur - io.offsetsBase);
    memcpy(image->bytes, "HMGV", 4);
    put_u32(image->bytes + 4, 1);
    put_u32(image->bytes + 8, (uint32_t)length);
    put_u32(image->bytes + 12, (uint32_t)objects);
    for (size_t i = 0; i < objects; i++) {
        size_t offset;
        memcpy(&offset, io.offsetsBase + i, sizeof offset);
        put_u32(image->bytes + 16 + 4 * i, (uint32_t)offset);
    }
    memcpy(image->bytes + 16 + 4 * objects, io.bufferBase, length);
    image->length = 16 + 4 * objects + length;
    hm_ipcio_release(&io); /* large raw data would own memfds; these vectors have none */
    return true;
}

/* ---- reading ---- */

/* 1: read and matched; 0: the read failed; -1: read but the value differs. */
#define MATCH(condition) ((condition) ? 1 : -1)

#define READ_SCALAR(type, reader, expected)                                                                     \
    do {                                                                                                        \
        type value;                                                                                             \
        if (!reader(io, &value))                                                                                \
            return 0;                                                                                           \
        return MATCH(value == (type)(expected));                                                                \
    } while (0)

#define READ_VECTOR(type, reader, convert, allocates)                                                           \
    do {                                                                                                        \
        size_t n = 0;                                                                                           \
        type *values = reader(io, &n);                                                                          \
        if (values == NULL)                                                                                     \
            return 0;                                                                                           \
        bool same = n == (size_t)item->arg_count;                                                               \
        for (int i = 0; same && i < item->arg_count; i++) {                                                     \
            type element;                                                                                       \
            memcpy(&element, (const char *)values + (size_t)i * sizeof(type), sizeof(type));                   \
            same = element == (type)(convert);                                                                  \
        }                                                                                                       \
        if (allocates)                                                                                          \
            hm_ipcio_free(values);                                                                              \
        return MATCH(same);                                                                                     \
    } while (0)

static int read_item(IpcIo *io, const struct item *item)
{
    const char *op = item->op;
    if (strcmp(op, "bool") == 0)
        READ_SCALAR(bool, ReadBool, arg_bool(item, 0));
    if (strcmp(op, "int8") == 0)
        READ_SCALAR(int8_t, ReadInt8, arg_signed(item, 0));
    if (strcmp(op, "int16") == 0)
        READ_SCALAR(int16_t, ReadInt16, arg_signed(item, 0));
    if (strcmp(op, "int32") == 0)
        READ_SCALAR(int32_t, ReadInt32, arg_signed(item, 0));
    if (strcmp(op, "int64") == 0)
        READ_SCALAR(int64_t, ReadInt64, arg_signed(item, 0));
    if (strcmp(op, "uint8") == 0)
        READ_SCALAR(uint8_t, ReadUint8, arg_unsigned(item, 0));
    if (strcmp(op, "uint16") == 0)
        READ_SCALAR(uint16_t, ReadUint16, arg_unsigned(item, 0));
    if (strcmp(op, "uint32") == 0)
        READ_SCALAR(uint32_t, ReadUint32, arg_unsigned(item, 0));
    if (strcmp(op, "uint64") == 0)
        READ_SCALAR(uint64_t, ReadUint64, arg_unsigned(item, 0));
    if (strcmp(op, "bool_u") == 0)
        READ_SCALAR(bool, ReadBoolUnaligned, arg_bool(item, 0));
    if (strcmp(op, "int8_u") == 0)
        READ_SCALAR(int8_t, ReadInt8Unaligned, arg_signed(item, 0));
    if (strcmp(op, "int16_u") == 0)
        READ_SCALAR(int16_t, ReadInt16Unaligned, arg_signed(item, 0));
    if (strcmp(op, "uint8_u") == 0)
        READ_SCALAR(uint8_t, ReadUInt8Unaligned, arg_unsigned(item, 0));
    if (strcmp(op, "uint16_u") == 0)
        READ_SCALAR(uint16_t, ReadUInt16Unaligned, arg_unsigned(item, 0));
    if (strcmp(op, "float") == 0) {
        float value;
        uint32_t bits;
        if (!ReadFloat(io, &value))
            return 0;
        memcpy(&bits, &value, sizeof bits);
        return MATCH(bits == (uint32_t)arg_unsigned(item, 0));
    }
    if (strcmp(op, "double") == 0) {
        double value;
        uint64_t bits;
        if (!ReadDouble(io, &value))
            return 0;
        memcpy(&bits, &value, sizeof bits);
        return MATCH(bits == arg_unsigned(item, 0));
    }
    if (strcmp(op, "string") == 0) {
        size_t expected = parse_text(item->args[0], text, sizeof text);
        size_t length = 0;
        const uint8_t *value = ReadString(io, &length);
        if (value == NULL)
            return 0;
        return MATCH(length == expected && memcmp(value, text, length) == 0 && value[length] == 0);
    }
    if (strcmp(op, "string16") == 0 || strcmp(op, "token") == 0) {
        size_t expected = utf8_to_utf16(text, parse_text(item->args[0], text, sizeof text), units);
        size_t length = 0;
        const uint16_t *value = op[0] == 's' ? ReadString16(io, &length) : ReadInterfaceToken(io, &length);
        if (value == NULL)
            return 0;
        return MATCH(length == expected && memcmp(value, units, length * 2) == 0);
    }
    if (strcmp(op, "buffer") == 0 || strcmp(op, "rawdata") == 0) {
        size_t length = parse_hex(item, hex, sizeof hex);
        const void *value = op[0] == 'b' ? (const void *)ReadBuffer(io, length) : ReadRawData(io, length);
        if (value == NULL)
            return 0;
        return MATCH(memcmp(value, hex, length) == 0);
    }
    if (strcmp(op, "fd") == 0) {
        int32_t fd = ReadFileDescriptor(io);
        if (fd < 0)
            return 0;
        return MATCH(fd == (int32_t)arg_signed(item, 0));
    }
    if (strcmp(op, "remote") == 0) {
        SvcIdentity svc;
        if (!ReadRemoteObject(io, &svc))
            return 0;
        return MATCH(svc.handle == (int32_t)arg_signed(item, 0) && svc.token == (uintptr_t)arg_unsigned(item, 1) &&
                     svc.cookie == (uintptr_t)arg_unsigned(item, 2));
    }
    if (strcmp(op, "bool_vector") == 0)
        READ_VECTOR(bool, ReadBoolVector, arg_bool(item, i), true);
    if (strcmp(op, "int8_vector") == 0)
        READ_VECTOR(int8_t, ReadInt8Vector, arg_signed(item, i), false);
    if (strcmp(op, "int16_vector") == 0)
        READ_VECTOR(int16_t, ReadInt16Vector, arg_signed(item, i), true);
    if (strcmp(op, "int32_vector") == 0)
        READ_VECTOR(int32_t, ReadInt32Vector, arg_signed(item, i), false);
    if (strcmp(op, "int64_vector") == 0)
        READ_VECTOR(int64_t, ReadInt64Vector, arg_signed(item, i), false);
    if (strcmp(op, "uint8_vector") == 0)
        READ_VECTOR(uint8_t, ReadUInt8Vector, arg_unsigned(item, i), false);
    if (strcmp(op, "uint16_vector") == 0)
        READ_VECTOR(uint16_t, ReadUInt16Vector, arg_unsigned(item, i), false);
    if (strcmp(op, "uint32_vector") == 0)
        READ_VECTOR(uint32_t, ReadUInt32Vector, arg_unsigned(item, i), false);
    if (strcmp(op, "uint64_vector") == 0)
        READ_VECTOR(uint64_t, ReadUInt64Vector, arg_unsigned(item, i), false);
    if (strcmp(op, "float_vector") == 0)
        READ_VECTOR(uint32_t, (uint32_t *)ReadFloatVector, arg_unsigned(item, i), false);
    if (strcmp(op, "double_vector") == 0)
        READ_VECTOR(uint64_t, (uint64_t *)ReadDoubleVector, arg_unsigned(item, i), false);
    fprintf(stderr, "line %d: unknown read op %s\n", item->line, op);
    return -1;
}

/* Reads an image with the vector's read script; source names the writer for messages. */
static void read_vector(const struct vector *vector, const struct image *image, const char *source)
{
    static alignas(8) char data[MAX_DATA];
    static alignas(8) char compat_buffer[MAX_IO_SIZE + MAX_OBJECTS * sizeof(size_t)];
    size_t offsets[MAX_OBJECTS];
    if (image->length < 16 || memcmp(image->bytes, "HMGV", 4) != 0 || get_u32(image->bytes + 4) != 1) {
        REPORT("%s (%s): not a golden vector file", vector->name, source);
        return;
    }
    size_t length = get_u32(image->bytes + 8);
    size_t objects = get_u32(image->bytes + 12);
    if (objects > MAX_OBJECTS || 16 + 4 * objects + length != image->length || length > MAX_DATA) {
        REPORT("%s (%s): inconsistent lengths", vector->name, source);
        return;
    }
    for (size_t i = 0; i < objects; i++)
        offsets[i] = get_u32(image->bytes + 16 + 4 * i);
    const unsigned char *payload = image->bytes + 16 + 4 * objects;

    IpcIo io;
    bool setup_ok;
    if (vector->compat) {
        /* The compatible API: IpcIoInit over [object table][data], as a LiteIPC receiver sees it. */
        size_t table = objects * sizeof(size_t);
        memcpy(compat_buffer, offsets, table);
        memcpy(compat_buffer + table, payload, length);
        IpcIoInit(&io, compat_buffer, table + length, objects);
        setup_ok = IpcIoAvailable(&io);
    } else {
        memcpy(data, payload, length);
        setup_ok = hm_ipcio_init_reader(&io, data, length, offsets, objects) == 0;
    }

    bool failed_before = false;
    for (int i = 0; i < vector->item_count; i++) {
        const struct item *item = &vector->items[i];
        if (item->prefix == 'w')
            continue;
        if (strcmp(item->op, "setup") == 0) {
            if (setup_ok == item->fail)
                REPORT("%s (%s), line %d: reader setup %s", vector->name, source, item->line,
                       setup_ok ? "succeeded, expected a refusal" : "was refused");
            continue;
        }
        if (!setup_ok) {
            REPORT("%s (%s): reader setup refused", vector->name, source);
            return;
        }
        int result = read_item(&io, item);
        bool should_fail = item->fail || failed_before;
        if (should_fail && (result != 0 || IpcIoAvailable(&io)))
            REPORT("%s (%s), line %d: reading %s should fail and leave the IpcIo failed", vector->name, source,
                   item->line, item->op);
        else if (!should_fail && result != 1)
            REPORT("%s (%s), line %d: reading %s %s", vector->name, source, item->line, item->op,
                   result == 0 ? "failed" : "gave another value");
        failed_before = failed_before || item->fail;
    }
    if (setup_ok && !failed_before && io.bufferLeft != 0)
        REPORT("%s (%s): %zu bytes left unread", vector->name, source, io.bufferLeft);
    hm_ipcio_release(&io);
}

static bool load_image(const char *path, struct image *image)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return false;
    image->length = fread(image->bytes, 1, sizeof image->bytes, file);
    fclose(file);
    return true;
}

static bool save_image(const char *path, const struct image *image)
{
    FILE *file = fopen(path, "wb");
    if (file == NULL)
        return false;
    bool ok = fwrite(image->bytes, 1, image->length, file) == image->length;
    return fclose(file) == 0 && ok;
}

static void make_path(char *out, size_t capacity, const char *dir, const char *folder, const char *name)
{
    int n = snprintf(out, capacity, "%s/%s/%s.bin", dir, folder, name);
    if (n < 0 || (size_t)n >= capacity)
        abort();
}

static void free_vectors(void)
{
    for (int v = 0; v < vector_count; v++) {
        for (int i = 0; i < vectors[v].item_count; i++)
            for (int a = 0; a < vectors[v].items[i].arg_count; a++)
                free(vectors[v].items[i].args[a]);
        free(vectors[v].items);
    }
}

int main(int argc, char **argv)
{
#ifdef HM_GOLDEN_DIR
    const char *dir = argc > 1 ? argv[1] : HM_GOLDEN_DIR;
#else
    if (argc < 2) {
        fprintf(stderr, "usage: %s <golden dir> [--regenerate]\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
#endif
    bool regenerate = argc > 2 && strcmp(argv[2], "--regenerate") == 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/vectors.txt", dir);
    load_vectors(path);
    static struct image written, from_c, from_java;
    int java_files = 0;
    for (int v = 0; v < vector_count; v++) {
        const struct vector *vector = &vectors[v];
        if (!write_vector(vector, &written))
            continue;
        make_path(path, sizeof path, dir, "from-c", vector->name);
        if (regenerate) {
            if (!save_image(path, &written))
                REPORT("cannot write %s", path);
            continue;
        }
        if (!load_image(path, &from_c)) {
            REPORT("%s: missing %s (regenerate deliberately: see README.md)", vector->name, path);
            continue;
        }
        if (from_c.length != written.length || memcmp(from_c.bytes, written.bytes, written.length) != 0)
            REPORT("%s: the C encoding differs from the committed from-c file", vector->name);
        read_vector(vector, &from_c, "from-c");
        make_path(path, sizeof path, dir, "from-java", vector->name);
        if (!load_image(path, &from_java)) {
            REPORT("%s: missing %s (written by the Java test, see README.md)", vector->name, path);
            continue;
        }
        java_files++;
        if (from_java.length != written.length || memcmp(from_java.bytes, written.bytes, written.length) != 0)
            REPORT("%s: the Java-written bytes differ from the C encoding", vector->name);
        read_vector(vector, &from_java, "from-java");
    }
    printf("%d golden vectors, %d Java-written files read, %d failures%s\n", vector_count, java_files, failures,
           regenerate ? " (regenerated from-c)" : "");
    int count = vector_count;
    free_vectors();
    return failures == 0 && count > 0 ? 0 : 1;
}
