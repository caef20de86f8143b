package io.harmonia.samgr;

/**
 * How a service's task runs (OpenHarmony's packed {@code TaskConfig {int16 level; int16 priority; uint16 stackSize;
 * uint16 queueSize; uint8 taskFlags}}). Two configs are "identical" for {@link TaskType#SPECIFIED_TASK} when every
 * component is equal, as OpenHarmony's {@code memcmp} of the packed struct decides.
 *
 * <p>Threads always use normal scheduling: OpenHarmony's POSIX adapter asks for {@code SCHED_RR}, which fails
 * without root (reference 6.3). {@code priority} therefore only selects the shared pool bucket (named in the shared
 * task's thread name), and a priority outside [{@link #PRI_LOW}, {@link #PRI_BUTT}) is treated as {@link #PRI_LOW},
 * as OpenHarmony does. {@code stackSize} is checked and recorded, but a {@code uint16} stack is far below what JVM
 * frames need (the 2 KiB shared stack overflowed even in C, reference 6.3), so task threads get the JVM's default
 * stack.
 *
 * @param level     a {@code SpecifyTag} such as {@link #LEVEL_HIGH}; an {@code int16}.
 * @param priority  a {@code TaskPriority} such as {@link #PRI_NORMAL}; an {@code int16}.
 * @param stackSize requested stack bytes, 0..0xFFFF.
 * @param queueSize the queue's capacity in messages, 0..0xFFFF; at least 1 for single and specified tasks. Shared
 *                  pools always have {@value #SHARED_QUEUE_SIZE}.
 * @param taskFlags the kind of task.
 */
public record TaskConfig(int level, int priority, int stackSize, int queueSize, TaskType taskFlags)
{
    /** {@code LEVEL_HIGH}. */
    public static final int LEVEL_HIGH = 0;
    /** {@code LEVEL_MIDDLE}. */
    public static final int LEVEL_MIDDLE = 1;
    /** {@code LEVEL_LOW}. */
    public static final int LEVEL_LOW = 2;
    /** {@code LEVEL_CUSTOM_BEGIN}. */
    public static final int LEVEL_CUSTOM_BEGIN = 3;

    /** {@code PRI_LOW}: the lowest valid priority. */
    public static final int PRI_LOW = 9;
    /** {@code PRI_BELOW_NORMAL}. */
    public static final int PRI_BELOW_NORMAL = 16;
    /** {@code PRI_NORMAL}. */
    public static final int PRI_NORMAL = 24;
    /** {@code PRI_ABOVE_NORMAL}. */
    public static final int PRI_ABOVE_NORMAL = 32;
    /** {@code PRI_BUTT}: one past the highest valid priority. */
    public static final int PRI_BUTT = 39;

    /** The queue capacity of every shared pool ({@code DEFAULT_TASK_CFG}). */
    public static final int SHARED_QUEUE_SIZE = 25;
    /** The stack size recorded for shared pools ({@code SHARED_TASK_STACK_SIZE}'s default). */
    public static final int SHARED_STACK_SIZE = 2048;
    /** Priorities per shared bucket ({@code PROPERTY_STEP}). */
    public static final int PRIORITY_STEP = 8;

    /**
     * Checks the ranges of the C struct's fields.
     *
     * @throws IllegalArgumentException naming the field and its range.
     * @throws NullPointerException     if {@code taskFlags} is null.
     */
    public TaskConfig
    {
        checkRange("level", level, Short.MIN_VALUE, Short.MAX_VALUE);
        checkRange("priority", priority, Short.MIN_VALUE, Short.MAX_VALUE);
        checkRange("stackSize", stackSize, 0, 0xFFFF);
        checkRange("queueSize", queueSize, 0, 0xFFFF);
        if (null == taskFlags)
        {
            throw new NullPointerException("taskFlags");
        }
        if (0 == queueSize && (TaskType.SINGLE_TASK == taskFlags || TaskType.SPECIFIED_TASK == taskFlags))
        {
            throw new IllegalArgumentException("queueSize=0: a " + taskFlags
                + " service needs a queue of at least 1 message (max 65535)");
        }
    }

    /**
     * A shared-task config at a priority.
     *
     * @param priority the priority, which picks the shared bucket.
     * @return {@code {LEVEL_HIGH, priority, 2048, 25, SHARED_TASK}}.
     */
    public static TaskConfig shared(final int priority)
    {
        return new TaskConfig(LEVEL_HIGH, priority, SHARED_STACK_SIZE, SHARED_QUEUE_SIZE, TaskType.SHARED_TASK);
    }

    /**
     * A single-task config.
     *
     * @param priority  the priority.
     * @param queueSize the queue capacity, 1..65535.
     * @return {@code {LEVEL_HIGH, priority, 2048, queueSize, SINGLE_TASK}}.
     */
    public static TaskConfig single(final int priority, final int queueSize)
    {
        return new TaskConfig(LEVEL_HIGH, priority, SHARED_STACK_SIZE, queueSize, TaskType.SINGLE_TASK);
    }

    /**
     * A no-task config.
     *
     * @return {@code {LEVEL_HIGH, PRI_NORMAL, 0, 0, NO_TASK}}.
     */
    public static TaskConfig noTask()
    {
        return new TaskConfig(LEVEL_HIGH, PRI_NORMAL, 0, 0, TaskType.NO_TASK);
    }

    /**
     * The priority samgr uses: out-of-range values become {@link #PRI_LOW}.
     *
     * @return a priority in [{@link #PRI_LOW}, {@link #PRI_BUTT}).
     */
    public int effectivePriority()
    {
        return priority < PRI_LOW || priority >= PRI_BUTT ? PRI_LOW : priority;
    }

    private static void checkRange(final String field, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(field + "=" + value + " is outside " + min + ".." + max);
        }
    }
}
