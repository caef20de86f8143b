package io.harmonia.foundation.ability;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.harmonia.ability.AppThreadProtocol;

/**
 * The deadlines of an extension's steps, OpenHarmony's (ability_connect_manager.cpp, global_constant.h: units of
 * 1 s) times the ability manager's timeout ratio, and the test hook that makes a step expire at once (OpenHarmony's
 * {@code aa force-timeout <ability> <state>}, {@code aa force-timeout clean}).
 *
 * <p>Steps ({@link Step}): INITIAL the load (spawn and attach, 10), INACTIVE onCreate (21), COMMAND onRequest (21),
 * CONNECT onConnect (10), DISCONNECT onDisconnect (1), TERMINATING onDestroy (10). OpenHarmony's hook makes the
 * manager ignore the step's completion so that its timer fires after the full timeout; Harmonia's makes the step
 * expire as soon as it is scheduled (the step's request is still sent, its answer ignored), so the same expiry path
 * runs without a wait of up to 21 s. Thread-safe.
 */
final class ExtensionTimeouts
{
    /** The steps a timeout can be forced for, by OpenHarmony's state names plus CONNECT and DISCONNECT. */
    enum Step
    {
        INITIAL(AbilityManagerService.LOAD_TIMEOUT_MS),
        INACTIVE(AppThreadProtocol.INACTIVE_TIMEOUT_MILLIS),
        COMMAND(AppThreadProtocol.COMMAND_TIMEOUT_MILLIS),
        CONNECT(AppThreadProtocol.CONNECT_TIMEOUT_MILLIS),
        DISCONNECT(AppThreadProtocol.DISCONNECT_TIMEOUT_MILLIS),
        TERMINATING(AppThreadProtocol.TERMINATE_TIMEOUT_MILLIS);

        private final long millis;

        Step(final long millis)
        {
            this.millis = millis;
        }
    }

    /** The word that clears every forced timeout. */
    static final String CLEAN = "clean";

    private final long ratio;
    private final Set<String> forced = ConcurrentHashMap.newKeySet();

    ExtensionTimeouts(final long ratio)
    {
        this.ratio = ratio;
    }

    /**
     * The deadline of a step.
     *
     * @param step the step.
     * @return milliseconds.
     */
    long millis(final Step step)
    {
        return step.millis * ratio;
    }

    /**
     * Forces a step of an ability to time out from now on, or clears every one.
     *
     * @param abilityName the ability, or {@value #CLEAN}.
     * @param state       a {@link Step} name (ignored with {@value #CLEAN}).
     * @throws IllegalArgumentException naming the field for an empty ability or an unknown state (401).
     */
    void force(final String abilityName, final String state)
    {
        if (null == abilityName || abilityName.isEmpty())
        {
            throw new IllegalArgumentException("field 'abilityName' is empty");
        }
        if (CLEAN.equals(abilityName))
        {
            forced.clear();
            return;
        }
        final Step step;
        try
        {
            step = Step.valueOf(null == state ? "" : state);
        }
        catch (final IllegalArgumentException unknown)
        {
            throw new IllegalArgumentException("field 'state' \"" + state + "\": must be one of "
                + String.join(", ", List.of(Step.values()).stream().map(Step::name).toList()));
        }
        forced.add(step.name() + "/" + abilityName);
    }

    /**
     * Whether a step of an ability is forced to time out.
     *
     * @param abilityName the ability.
     * @param step        the step.
     * @return true when forced.
     */
    boolean forced(final String abilityName, final Step step)
    {
        return !forced.isEmpty() && forced.contains(step.name() + "/" + abilityName);
    }
}
