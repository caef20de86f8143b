package io.harmonia.ability;

/**
 * The context of an {@link AppServiceExtensionAbility}: the ability context and {@link #terminateSelf()}; no window
 * API, as the seed requires.
 */
public final class AppServiceExtensionContext extends ExtensionContext
{
    AppServiceExtensionContext(final ApplicationInfo application, final String abilityName,
        final AbilityConnector connector)
    {
        super(application, abilityName, ExtensionAbilityType.APP_SERVICE, connector);
    }
}
