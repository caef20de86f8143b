package io.harmonia.spawn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.harmonia.bindings.LibHarmoniaSpawn;
import io.harmonia.bindings.NativeLibrary;

/**
 * A negative reply of appspawn: {@code -(step << 16 | detail)}. The detail is an errno for the daemon and the
 * child's steps, or a {@link RequestField} for a refused request. The message is libharmonia's own description
 * ({@code hm_spawn_describe}), e.g. "step setresuid failed: EPERM 1 (Operation not permitted)"; for the reply to
 * a known request it also names the path and the uid of a step that could not open one ({@code
 * hm_spawn_describe_app}), e.g. "step load failed: EACCES 13 (Permission denied): uid 65534 cannot open
 * /home/me/app/libapp.so".
 */
public final class SpawnException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int reply;

    /**
     * A failed spawn.
     *
     * @param reply the negative reply.
     */
    public SpawnException(final int reply)
    {
        super(describe(reply, null));
        this.reply = reply;
    }

    /**
     * A failed spawn of a known request: the message names the path and the uid of a step that opens one (load and
     * entry: soPath; workdir: dataDir; exec: the uid).
     *
     * @param reply   the negative reply.
     * @param request what was asked for.
     */
    public SpawnException(final int reply, final SpawnRequest request)
    {
        super(describe(reply, request));
        this.reply = reply;
    }

    /**
     * The reply as it came.
     *
     * @return the negative int32.
     */
    public int reply()
    {
        return reply;
    }

    /**
     * The step that failed.
     *
     * @return the step; null for a step number this version does not know.
     */
    public SpawnStep step()
    {
        return SpawnStep.of(stepCode(reply));
    }

    /**
     * The errno of a failed step (also of {@link SpawnStep#DAEMON}), or the field number for
     * {@link SpawnStep#REQUEST}.
     *
     * @return the detail, positive.
     */
    public int detail()
    {
        return detailCode(reply);
    }

    /**
     * The field a refused request broke.
     *
     * @return the field, or null when the step is not {@link SpawnStep#REQUEST}.
     */
    public RequestField field()
    {
        return SpawnStep.REQUEST == step() ? RequestField.of(detail()) : null;
    }

    /**
     * The step number of a negative reply.
     *
     * @param reply a negative reply.
     * @return its step number.
     */
    public static int stepCode(final int reply)
    {
        return (int)((-(long)reply) >>> 16);
    }

    /**
     * The detail of a negative reply.
     *
     * @param reply a negative reply.
     * @return its errno or field number.
     */
    public static int detailCode(final int reply)
    {
        return (int)((-(long)reply) & 0xFFFF);
    }

    /**
     * The reply a step failing with a detail produces.
     *
     * @param step   the step.
     * @param detail the errno or field number.
     * @return the negative reply.
     */
    public static int replyOf(final SpawnStep step, final int detail)
    {
        return -((step.code() << 16) | (detail & 0xFFFF));
    }

    private static String describe(final int reply, final SpawnRequest request)
    {
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment text = arena.allocate(1024);
            if (null == request)
            {
                LibHarmoniaSpawn.hm_spawn_describe(reply, text, text.byteSize());
            }
            else
            {
                LibHarmoniaSpawn.hm_spawn_describe_app(reply, request.uid(), arena.allocateFrom(request.soPath()),
                    arena.allocateFrom(request.dataDir()), text, text.byteSize());
            }
            return text.getString(0);
        }
    }
}
