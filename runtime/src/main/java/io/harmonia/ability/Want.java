package io.harmonia.ability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.harmonia.rpc.MessageSequence;

/**
 * What a caller wants started or connected (OpenHarmony's {@code Want}): the target's bundle, module and ability
 * names, a device id ({@code ""} is this device) and typed parameters (String, Integer, Long, Boolean, Double).
 * Immutable; {@link Builder} makes one. A Want names a target; it never proves who the caller is (identity comes
 * from the kernel).
 *
 * @param deviceId    the device, "" for this one.
 * @param bundleName  the target bundle.
 * @param moduleName  the target module, "" for any.
 * @param abilityName the target ability.
 * @param parameters  the parameters, in insertion order.
 */
public record Want(String deviceId, String bundleName, String moduleName, String abilityName,
    Map<String, Object> parameters)
{
    /** Most parameters a Want carries over RPC. */
    public static final int MAX_PARAMETERS = 256;

    private static final int STRING = 1;
    private static final int INT = 2;
    private static final int LONG = 3;
    private static final int BOOLEAN = 4;
    private static final int DOUBLE = 5;

    /**
     * Checks the fields.
     *
     * @param deviceId    see the record.
     * @param bundleName  see the record.
     * @param moduleName  see the record.
     * @param abilityName see the record.
     * @param parameters  see the record.
     */
    public Want
    {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(bundleName, "bundleName");
        Objects.requireNonNull(moduleName, "moduleName");
        Objects.requireNonNull(abilityName, "abilityName");
        final Map<String, Object> copy = new LinkedHashMap<>();
        for (final Map.Entry<String, Object> entry : parameters.entrySet())
        {
            final Object value = entry.getValue();
            if (!(value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Boolean || value instanceof Double))
            {
                throw new IllegalArgumentException("parameter '" + entry.getKey() + "': "
                    + (null == value ? "null" : value.getClass().getSimpleName())
                    + " is not one of String, Integer, Long, Boolean, Double");
            }
            copy.put(Objects.requireNonNull(entry.getKey(), "parameter name"), value);
        }
        if (copy.size() > MAX_PARAMETERS)
        {
            throw new IllegalArgumentException("parameters: " + copy.size() + ", at most " + MAX_PARAMETERS);
        }
        parameters = Collections.unmodifiableMap(copy);
    }

    /**
     * A Want for an ability of a bundle on this device.
     *
     * @param bundleName  the bundle.
     * @param abilityName the ability.
     * @return the Want.
     */
    public static Want of(final String bundleName, final String abilityName)
    {
        return builder().bundleName(bundleName).abilityName(abilityName).build();
    }

    /**
     * The target as an element name.
     *
     * @return deviceId, bundleName, moduleName, abilityName.
     */
    public ElementName element()
    {
        return new ElementName(deviceId, bundleName, moduleName, abilityName);
    }

    /**
     * Writes this Want into a message.
     *
     * @param data the message.
     */
    public void writeTo(final MessageSequence data)
    {
        data.writeString(deviceId);
        data.writeString(bundleName);
        data.writeString(moduleName);
        data.writeString(abilityName);
        data.writeInt(parameters.size());
        for (final Map.Entry<String, Object> entry : parameters.entrySet())
        {
            data.writeString(entry.getKey());
            switch (entry.getValue())
            {
                case String text ->
                {
                    data.writeInt(STRING);
                    data.writeString(text);
                }
                case Integer number ->
                {
                    data.writeInt(INT);
                    data.writeInt(number);
                }
                case Long number ->
                {
                    data.writeInt(LONG);
                    data.writeLong(number);
                }
                case Boolean flag ->
                {
                    data.writeInt(BOOLEAN);
                    data.writeBoolean(flag);
                }
                case Double number ->
                {
                    data.writeInt(DOUBLE);
                    data.writeDouble(number);
                }
                default -> throw new IllegalStateException("checked by the constructor");
            }
        }
    }

    /**
     * Reads a Want written by {@link #writeTo}; a message from another process is untrusted, so every count and tag
     * is checked.
     *
     * @param data the message.
     * @return the Want.
     * @throws IllegalArgumentException for a malformed Want (a count out of range, an unknown tag, a missing string).
     */
    public static Want readFrom(final MessageSequence data)
    {
        final Builder builder = builder().deviceId(required(data, "deviceId")).bundleName(required(data, "bundleName"))
            .moduleName(required(data, "moduleName")).abilityName(required(data, "abilityName"));
        final int count = data.readInt();
        if (count < 0 || count > MAX_PARAMETERS)
        {
            throw new IllegalArgumentException("want parameters: count " + count + ", must be 0.." + MAX_PARAMETERS);
        }
        for (int i = 0; i < count; i++)
        {
            final String name = required(data, "parameter name");
            final int tag = data.readInt();
            final Object value = switch (tag)
            {
                case STRING -> required(data, "parameter '" + name + "'");
                case INT -> data.readInt();
                case LONG -> data.readLong();
                case BOOLEAN -> data.readBoolean();
                case DOUBLE -> data.readDouble();
                default -> throw new IllegalArgumentException("want parameter '" + name + "': unknown type tag " + tag);
            };
            builder.parameter(name, value);
        }
        return builder.build();
    }

    private static String required(final MessageSequence data, final String field)
    {
        final String value = data.readString();
        if (null == value)
        {
            throw new IllegalArgumentException("want field '" + field + "' is missing");
        }
        return value;
    }

    /**
     * A builder: every name "" and no parameters until set.
     *
     * @return a builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Collects a Want's fields. */
    public static final class Builder
    {
        private String deviceId = "";
        private String bundleName = "";
        private String moduleName = "";
        private String abilityName = "";
        private final Map<String, Object> parameters = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * Sets the device id.
         *
         * @param deviceId "" for this device.
         * @return this.
         */
        public Builder deviceId(final String deviceId)
        {
            this.deviceId = deviceId;
            return this;
        }

        /**
         * Sets the bundle name.
         *
         * @param bundleName the target bundle.
         * @return this.
         */
        public Builder bundleName(final String bundleName)
        {
            this.bundleName = bundleName;
            return this;
        }

        /**
         * Sets the module name.
         *
         * @param moduleName the target module.
         * @return this.
         */
        public Builder moduleName(final String moduleName)
        {
            this.moduleName = moduleName;
            return this;
        }

        /**
         * Sets the ability name.
         *
         * @param abilityName the target ability.
         * @return this.
         */
        public Builder abilityName(final String abilityName)
        {
            this.abilityName = abilityName;
            return this;
        }

        /**
         * Adds a parameter.
         *
         * @param name  its name.
         * @param value a String, Integer, Long, Boolean or Double.
         * @return this.
         */
        public Builder parameter(final String name, final Object value)
        {
            parameters.put(name, value);
            return this;
        }

        /**
         * Makes the Want.
         *
         * @return the Want.
         */
        public Want build()
        {
            return new Want(deviceId, bundleName, moduleName, abilityName, parameters);
        }
    }
}
