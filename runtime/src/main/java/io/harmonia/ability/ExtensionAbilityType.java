package io.harmonia.ability;

/**
 * The two extension families a caller can start and connect: {@link ServiceExtensionAbility} (manifest type
 * {@code "service"}) and {@link AppServiceExtensionAbility} ({@code "appService"}). The callers' API has one set of
 * methods per family, and the ability manager refuses a request whose family is not the target's type
 * ({@link AbilityErrors#WRONG_TYPE}), as OpenHarmony does.
 */
public enum ExtensionAbilityType
{
    /** ServiceExtensionAbility: system services. */
    SERVICE(1, "service", ServiceExtensionAbility.class),
    /** AppServiceExtensionAbility: enterprise apps' background services on 2-in-1 devices. */
    APP_SERVICE(2, "appService", AppServiceExtensionAbility.class);

    private final int wire;
    private final String manifestType;
    private final Class<? extends ExtensionAbility> baseClass;

    ExtensionAbilityType(final int wire, final String manifestType, final Class<? extends ExtensionAbility> baseClass)
    {
        this.wire = wire;
        this.manifestType = manifestType;
        this.baseClass = baseClass;
    }

    /**
     * The value on the wire.
     *
     * @return 1 or 2.
     */
    public int wire()
    {
        return wire;
    }

    /**
     * The extension type in module.json5.
     *
     * @return "service" or "appService".
     */
    public String manifestType()
    {
        return manifestType;
    }

    /**
     * The class a srcEntry of this type must extend.
     *
     * @return ServiceExtensionAbility or AppServiceExtensionAbility.
     */
    public Class<? extends ExtensionAbility> baseClass()
    {
        return baseClass;
    }

    /**
     * The family of a wire value.
     *
     * @param wire the value.
     * @return the family.
     * @throws IllegalArgumentException for an unknown value (a malformed request: 401).
     */
    public static ExtensionAbilityType ofWire(final int wire)
    {
        for (final ExtensionAbilityType type : values())
        {
            if (type.wire == wire)
            {
                return type;
            }
        }
        throw new IllegalArgumentException("field 'extensionType' is " + wire + ", must be 1 (service) or 2 "
            + "(appService)");
    }

    /**
     * The family of a manifest type.
     *
     * @param manifestType the type in module.json5.
     * @return the family, or null for a type that is neither.
     */
    public static ExtensionAbilityType ofManifestType(final String manifestType)
    {
        for (final ExtensionAbilityType type : values())
        {
            if (type.manifestType.equals(manifestType))
            {
                return type;
            }
        }
        return null;
    }
}
