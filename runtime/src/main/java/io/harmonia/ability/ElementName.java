package io.harmonia.ability;

import io.harmonia.rpc.MessageSequence;

/**
 * The name of one ability (OpenHarmony's {@code ElementName}).
 *
 * @param deviceId    the device, "" for this one.
 * @param bundleName  the bundle.
 * @param moduleName  the module, "" when not given.
 * @param abilityName the ability.
 */
public record ElementName(String deviceId, String bundleName, String moduleName, String abilityName)
{
    /**
     * Writes the four names.
     *
     * @param data the message.
     */
    public void writeTo(final MessageSequence data)
    {
        data.writeString(deviceId);
        data.writeString(bundleName);
        data.writeString(moduleName);
        data.writeString(abilityName);
    }

    /**
     * Reads one written by {@link #writeTo}.
     *
     * @param data the message.
     * @return the name.
     * @throws io.harmonia.rpc.RpcException when a string is missing.
     */
    public static ElementName readFrom(final MessageSequence data)
    {
        return new ElementName(data.readString(), data.readString(), data.readString(), data.readString());
    }

    @Override
    public String toString()
    {
        return bundleName + "/" + (moduleName.isEmpty() ? "" : moduleName + "/") + abilityName;
    }
}
