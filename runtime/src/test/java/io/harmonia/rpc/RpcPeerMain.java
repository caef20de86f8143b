package io.harmonia.rpc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A second process for the RPC tests: publishes a {@link PeerService} (or a stub without a handler) at an
 * address, prints "ready", and lives until its stdin closes (or it is killed).
 *
 * <p>Usage: {@code RpcPeerMain serve|no-handler <address>}.
 */
public final class RpcPeerMain
{
    /** [000]'s layout: errCode 0, then the int plus one. */
    static final int SEED_ERRCODE_THEN_VALUE = 1;
    /** [001]'s layout: the int back. */
    static final int SEED_VALUE_ONLY = 2;
    /** The caller's uid, pid and token id as IPCSkeleton answers them. */
    static final int WHO_CALLS = 3;
    /** Sleeps the int's milliseconds, then answers. */
    static final int SLEEP = 4;
    /** The handler returns false. */
    static final int REFUSE = 5;
    /** The handler throws. */
    static final int THROW = 6;
    /** Echoes the byte array it is sent. */
    static final int ECHO = 7;
    /** Reads a remote object and an int, calls the object with SEED_ERRCODE_THEN_VALUE, answers its two ints. */
    static final int CALL_BACK = 8;
    /** Answers a new object (a PeerService) of this process. */
    static final int NEW_OBJECT = 9;
    /** Records the int (one way). */
    static final int RECORD = 10;
    /** Answers the recorded ints. */
    static final int RECORDED = 11;
    /** Answers how many objects of this process other processes know, and how many references are in flight. */
    static final int TABLE_SIZE = 12;
    /** Reads a remote object and answers it back (passing a reference on). */
    static final int BOUNCE = 13;
    /** Answers the pid of this process. */
    static final int PID = 14;
    /** Reads a target and a call-back object and an int; calls target.CALL_BACK(call-back, int); answers its ints. */
    static final int FORWARD = 15;
    /** Answers the counts of this process's RPC tables: objects, pins, proxies, proxy pins. */
    static final int TABLES = 16;

    private RpcPeerMain()
    {
    }

    /** The service every test peer publishes. */
    static final class PeerService extends RemoteObject
    {
        private final List<Integer> recorded = new CopyOnWriteArrayList<>();

        PeerService()
        {
            super("test");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            switch (code)
            {
                case SEED_ERRCODE_THEN_VALUE ->
                {
                    reply.writeInt(0);
                    reply.writeInt(data.readInt() + 1);
                }
                case SEED_VALUE_ONLY -> reply.writeInt(data.readInt());
                case WHO_CALLS ->
                {
                    reply.writeInt(IPCSkeleton.getCallingUid());
                    reply.writeInt(IPCSkeleton.getCallingPid());
                    reply.writeLong(IPCSkeleton.getCallingTokenId());
                }
                case SLEEP -> sleep(data.readInt());
                case REFUSE ->
                {
                    return false;
                }
                case THROW -> throw new IllegalStateException("thrown on purpose by the test peer");
                case ECHO -> reply.writeByteArray(data.readByteArray());
                case CALL_BACK ->
                {
                    final IRemoteObject callback = data.readRemoteObject();
                    final int value = data.readInt();
                    try (MessageSequence request = MessageSequence.create();
                        MessageSequence answer = MessageSequence.create())
                    {
                        request.writeInt(value);
                        callback.sendMessageRequestSync(SEED_ERRCODE_THEN_VALUE, request, answer, new MessageOption());
                        reply.writeInt(answer.readInt());
                        reply.writeInt(answer.readInt());
                    }
                }
                case NEW_OBJECT -> reply.writeRemoteObject(new PeerService());
                case RECORD -> recorded.add(data.readInt());
                case RECORDED -> reply.writeIntArray(recorded.stream().mapToInt(Integer::intValue).toArray());
                case TABLE_SIZE ->
                {
                    reply.writeInt(RpcRuntime.get().objects().size());
                    reply.writeInt(RpcRuntime.get().objects().pinCount());
                }
                case BOUNCE -> reply.writeRemoteObject(data.readRemoteObject());
                case PID -> reply.writeInt((int)ProcessHandle.current().pid());
                case FORWARD ->
                {
                    final IRemoteObject target = data.readRemoteObject();
                    final IRemoteObject callback = data.readRemoteObject();
                    final int value = data.readInt();
                    try (MessageSequence request = MessageSequence.create();
                        MessageSequence answer = MessageSequence.create())
                    {
                        request.writeRemoteObject(callback);
                        request.writeInt(value);
                        target.sendMessageRequestSync(CALL_BACK, request, answer, new MessageOption());
                        reply.writeInt(answer.readInt());
                        reply.writeInt(answer.readInt());
                    }
                }
                case TABLES ->
                {
                    System.gc();
                    final RpcRuntime runtime = RpcRuntime.get();
                    reply.writeInt(runtime.objects().size());
                    reply.writeInt(runtime.objects().pinCount());
                    reply.writeInt(runtime.proxyCount());
                    reply.writeInt(runtime.proxyPinCount());
                }
                default ->
                {
                    return false;
                }
            }
            return true;
        }
    }

    private static void sleep(final int millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Entry point.
     *
     * @param args mode and address.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final RemoteObject root = switch (args[0])
        {
            case "serve" -> new PeerService();
            case "no-handler" -> new RemoteObject("test");
            default -> throw new IllegalArgumentException("mode " + args[0]);
        };
        try (Publication publication = IPCSkeleton.publish(args[1], root))
        {
            System.out.println("ready " + publication.address());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (null != in.readLine())
            {
                // lives until stdin closes
            }
        }
    }
}
