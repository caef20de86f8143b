package io.harmonia.ability;

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
    @Override
    public String toString()
    {
        return bundleName + "/" + (moduleName.isEmpty() ? "" : moduleName + "/") + abilityName;
    }
}
