package io.harmonia.bindings.queue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A small jcstress-style harness: two actors race on fresh state many times, an arbiter turns each run into an
 * outcome string, and the outcomes are checked against an explicit table of acceptable ones (anything else is a
 * failure). Actors run on two long-lived threads released together by a spinning start gate, so they really
 * overlap on a multi-core machine.
 *
 * @param <S> the state of one run.
 */
final class OutcomeTable<S>
{
    interface Actor<S>
    {
        void act(S state);
    }

    interface Arbiter<S>
    {
        String outcome(S state);
    }

    private final Map<String, String> acceptable = new TreeMap<>();
    private final Map<String, Integer> seen = new TreeMap<>();

    /** Declares an acceptable outcome and what it means. */
    OutcomeTable<S> accept(final String outcome, final String meaning)
    {
        acceptable.put(outcome, meaning);
        return this;
    }

    /** Runs the race and fails on any outcome outside the table; returns the counts. */
    Map<String, Integer> run(
        final int iterations, final Supplier<S> fresh, final Actor<S> first, final Actor<S> second,
        final Arbiter<S> arbiter) throws InterruptedException
    {
        final AtomicInteger generation = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        @SuppressWarnings("unchecked")
        final S[] current = (S[])new Object[1];
        final Thread[] actors = new Thread[2];
        final List<Actor<S>> roles = List.of(first, second);
        final Throwable[] failure = new Throwable[1];
        for (int a = 0; a < 2; a++)
        {
            final Actor<S> role = roles.get(a);
            actors[a] = Thread.ofPlatform().daemon().start(() ->
            {
                for (int run = 1; run <= iterations; run++)
                {
                    while (generation.get() < run)
                    {
                        Thread.yield();
                    }
                    try
                    {
                        role.act(current[0]);
                    }
                    catch (final Throwable ex)
                    {
                        failure[0] = ex;
                    }
                    done.incrementAndGet();
                }
            });
        }
        for (int run = 1; run <= iterations; run++)
        {
            current[0] = fresh.get();
            done.set(0);
            generation.set(run);
            while (done.get() < 2)
            {
                Thread.yield();
            }
            if (null != failure[0])
            {
                fail("actor failed", failure[0]);
            }
            final String outcome = arbiter.outcome(current[0]);
            seen.merge(outcome, 1, Integer::sum);
            if (!acceptable.containsKey(outcome))
            {
                fail("forbidden outcome \"" + outcome + "\" in run " + run + "; acceptable: " + acceptable +
                    "; seen so far: " + seen);
            }
        }
        for (final Thread actor : actors)
        {
            actor.join();
        }
        assertTrue(seen.values().stream().mapToInt(Integer::intValue).sum() == iterations);
        System.out.println("outcomes " + seen + " (acceptable: " + acceptable + ")");
        return seen;
    }
}
