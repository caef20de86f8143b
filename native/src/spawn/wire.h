/*
 * Little-endian field access for the spawn wire formats. Byte by byte on purpose: the formats are defined in
 * bytes (docs/protocols.md), buffers may have any alignment, and the same code is right on every host.
 */
#ifndef HARMONIA_SPAWN_WIRE_H
#define HARMONIA_SPAWN_WIRE_H

#include <stdint.h>

#include <harmonia/spawn.h>

static inline uint16_t hm_wire_get_u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t hm_wire_get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t hm_wire_get_u64(const unsigned char *p)
{
    return (uint64_t)hm_wire_get_u32(p) | ((uint64_t)hm_wire_get_u32(p + 4) << 32);
}

static inline void hm_wire_put_u16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static inline void hm_wire_put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline void hm_wire_put_u64(unsigned char *p, uint64_t v)
{
    hm_wire_put_u32(p, (uint32_t)v);
    hm_wire_put_u32(p + 4, (uint32_t)(v >> 32));
}

/* Writes the common 16-byte message header. */
static inline void hm_wire_put_header(unsigned char *p, uint16_t type, uint32_t length)
{
    hm_wire_put_u32(p + HM_SPAWN_OFF_MAGIC, HM_SPAWN_MAGIC);
    hm_wire_put_u16(p + HM_SPAWN_OFF_VERSION, HM_SPAWN_VERSION);
    hm_wire_put_u16(p + HM_SPAWN_OFF_TYPE, type);
    hm_wire_put_u32(p + HM_SPAWN_OFF_LENGTH, length);
    hm_wire_put_u32(p + HM_SPAWN_OFF_RESERVED, 0);
}

#endif /* HARMONIA_SPAWN_WIRE_H */
