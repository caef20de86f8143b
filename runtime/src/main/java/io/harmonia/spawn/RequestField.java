package io.harmonia.spawn;

/**
 * The fields of a spawn message, as a refusal names them: the {@code hm_spawn_field} values of
 * {@code harmonia/spawn.h}, with the same numbers and names.
 */
public enum RequestField
{
    /** Header magic. */
    MAGIC(1, "magic"),
    /** Header version. */
    VERSION(2, "version"),
    /** Header message type. */
    TYPE(3, "type"),
    /** Header length. */
    LENGTH(4, "length"),
    /** Reserved fields. */
    RESERVED(5, "reserved"),
    /** uid. */
    UID(6, "uid"),
    /** gid. */
    GID(7, "gid"),
    /** gidCount. */
    GID_COUNT(8, "gidCount"),
    /** gidTable. */
    GID_TABLE(9, "gidTable"),
    /** capabilities. */
    CAPABILITIES(10, "capabilities"),
    /** flags. */
    FLAGS(11, "flags"),
    /** processName. */
    PROCESS_NAME(12, "processName"),
    /** bundleName. */
    BUNDLE_NAME(13, "bundleName"),
    /** soPath. */
    SO_PATH(14, "soPath"),
    /** apl. */
    APL(15, "apl"),
    /** The pid of a terminate request. */
    PID(16, "pid"),
    /** dataDir. */
    DATA_DIR(17, "dataDir");

    private final int code;
    private final String cName;

    RequestField(final int code, final String cName)
    {
        this.code = code;
        this.cName = cName;
    }

    /**
     * The C value.
     *
     * @return the field number.
     */
    public int code()
    {
        return code;
    }

    /**
     * The name {@code hm_spawn_field_name} gives this field (as in docs/protocols.md).
     *
     * @return the field's protocol name.
     */
    public String cName()
    {
        return cName;
    }

    /**
     * The field of a C value.
     *
     * @param code a field number.
     * @return the field, or null for a number this version does not know.
     */
    public static RequestField of(final int code)
    {
        for (final RequestField field : values())
        {
            if (field.code == code)
            {
                return field;
            }
        }
        return null;
    }
}
