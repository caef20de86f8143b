package io.harmonia.ability;

/**
 * An ability with a foreground and a background (OpenHarmony's {@code UIAbility}) in its minimal Linux form: no
 * window, so onWindowStageCreate and friends do not exist; the ability manager brings one ability at a time to the
 * foreground. A bundle names the subclass as an ability's {@code srcEntry} in module.json5; the class needs a public
 * no-argument constructor.
 *
 * <p><b>Order.</b> First start: {@link #onCreate}, then {@link #onForeground}. A later start of the same ability
 * (one instance per ability, OpenHarmony's "singleton" launch type): {@link #onNewWant}, then {@link #onForeground}
 * if it was in the background. When another ability comes to the front: {@link #onBackground}. On destroy:
 * {@link #onBackground} if needed, then {@link #onDestroy}. Callbacks of one process run one at a time, on an RPC
 * thread of the app process; each must return within OpenHarmony's timeout for its transition (foreground 5 s,
 * background 3 s, terminate 10 s) or the ability manager gives up on it.
 */
public abstract class UIAbility
{
    private UIAbilityContext context;
    private Want launchWant;
    private Want lastWant;

    /** For subclasses. */
    protected UIAbility()
    {
    }

    final void attach(final UIAbilityContext context, final Want want)
    {
        this.context = context;
        this.launchWant = want;
        this.lastWant = want;
    }

    final void newWant(final Want want)
    {
        this.lastWant = want;
    }

    /**
     * The ability's context.
     *
     * @return its context (set before {@link #onCreate}).
     */
    public final UIAbilityContext getContext()
    {
        return context;
    }

    /**
     * The Want the ability was first started with.
     *
     * @return the launch Want.
     */
    public final Want getLaunchWant()
    {
        return launchWant;
    }

    /**
     * The Want of the latest start.
     *
     * @return the last Want.
     */
    public final Want getLastWant()
    {
        return lastWant;
    }

    /**
     * The ability was created.
     *
     * @param want the Want it was started with.
     */
    public void onCreate(final Want want)
    {
    }

    /**
     * The ability was started again while it lives.
     *
     * @param want the new Want.
     */
    public void onNewWant(final Want want)
    {
    }

    /** The ability came to the foreground. */
    public void onForeground()
    {
    }

    /** The ability went to the background. */
    public void onBackground()
    {
    }

    /** The ability is destroyed. */
    public void onDestroy()
    {
    }
}
