package io.harmonia.ability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UIAbility instances of one app process and their transitions, as the ability manager schedules them through
 * the app thread. One instance per ability name. Transitions run one at a time (this object's lock); an ability
 * callback that throws fails its transition with {@link AbilityErrors#INNER} and the message names the ability and
 * the exception.
 */
final class AbilityHost
{
    private final Map<String, UIAbility> abilities = new LinkedHashMap<>();
    private volatile ApplicationInfo application;
    private volatile AbilityConnector connector;

    void bind(final ApplicationInfo info, final AbilityConnector abilityConnector)
    {
        this.application = info;
        this.connector = abilityConnector;
    }

    ApplicationInfo application()
    {
        return application;
    }

    /** Creates or re-targets the ability, then brings it to the foreground. */
    synchronized void launch(final String abilityName, final String srcEntry, final Want want)
    {
        UIAbility ability = abilities.get(abilityName);
        if (null == ability)
        {
            ability = instantiate(abilityName, srcEntry);
            final UIAbilityContext context = new UIAbilityContext(requireBound(), abilityName, connector);
            ability.attach(context, want);
            abilities.put(abilityName, ability);
            ability.onCreate(want);
        }
        else
        {
            ability.newWant(want);
            ability.onNewWant(want);
        }
        foreground(ability);
    }

    synchronized void foreground(final String abilityName)
    {
        foreground(require(abilityName));
    }

    synchronized void background(final String abilityName)
    {
        background(require(abilityName));
    }

    synchronized void destroy(final String abilityName)
    {
        final UIAbility ability = require(abilityName);
        background(ability);
        abilities.remove(abilityName);
        ability.getContext().state(AbilityState.TERMINATED);
        ability.onDestroy();
    }

    /** Destroys every ability, in the order they were created; a callback that throws does not stop the others. */
    synchronized void destroyAll()
    {
        for (final String name : java.util.List.copyOf(abilities.keySet()))
        {
            try
            {
                destroy(name);
            }
            catch (final RuntimeException thrown)
            {
                System.err.println("harmonia app: destroying " + name + " threw " + thrown);
            }
        }
    }

    synchronized Map<String, AbilityState> states()
    {
        final Map<String, AbilityState> states = new LinkedHashMap<>();
        abilities.forEach((name, ability) -> states.put(name, ability.getContext().getState()));
        return states;
    }

    private static void foreground(final UIAbility ability)
    {
        if (AbilityState.FOREGROUND != ability.getContext().getState())
        {
            ability.getContext().state(AbilityState.FOREGROUND);
            ability.onForeground();
        }
    }

    private static void background(final UIAbility ability)
    {
        if (AbilityState.FOREGROUND == ability.getContext().getState())
        {
            ability.getContext().state(AbilityState.BACKGROUND);
            ability.onBackground();
        }
    }

    private UIAbility require(final String abilityName)
    {
        final UIAbility ability = abilities.get(abilityName);
        if (null == ability)
        {
            throw new AbilityException(AbilityErrors.CONTEXT_NOT_EXIST, "ability '" + abilityName
                + "' does not exist in this process");
        }
        return ability;
    }

    private ApplicationInfo requireBound()
    {
        final ApplicationInfo info = application;
        if (null == info)
        {
            throw new AbilityException(AbilityErrors.INNER, "the process has not attached yet");
        }
        return info;
    }

    private static UIAbility instantiate(final String abilityName, final String srcEntry)
    {
        final Class<?> type;
        try
        {
            type = Class.forName(srcEntry, false, ClassLoader.getSystemClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new AbilityException(AbilityErrors.RESOLVE_FAILED, "ability '" + abilityName + "': srcEntry class "
                + srcEntry + " cannot be loaded: " + ex);
        }
        if (!UIAbility.class.isAssignableFrom(type))
        {
            throw new AbilityException(AbilityErrors.WRONG_TYPE, "ability '" + abilityName + "': srcEntry class "
                + srcEntry + " does not extend " + UIAbility.class.getName());
        }
        try
        {
            return (UIAbility)type.getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException | LinkageError ex)
        {
            throw new AbilityException(AbilityErrors.INNER, "ability '" + abilityName + "': cannot construct "
                + srcEntry + " (it needs a public no-argument constructor): " + ex);
        }
    }
}
