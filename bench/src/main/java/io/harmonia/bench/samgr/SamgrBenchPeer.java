package io.harmonia.bench.samgr;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.Publication;
import io.harmonia.rpc.RemoteObject;
import io.harmonia.samgr.ErrorCode;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.Service;
import io.harmonia.samgr.TaskConfig;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.IServerProxy;

/**
 * The provider of the cross-process samgr benchmarks, in its own JVM: exports {@value #SERVICE}/{@value #FEATURE}
 * (an echo of a byte array on the service's own task) through the samgr server at the first argument, and
 * publishes a bare RPC echo object at the second (the same echo without samgr: the floor). Both also answer
 * funcId (code) {@value #SYNC_CALL}, the samgr_lite README example's SyncCall with its request (id, value, name)
 * and its answer ("TRUE" or "FALSE"), for {@link SamgrCFeatureCallBenchmark}. Prints "ready" once the server has
 * the feature; lives until stdin closes.
 */
public final class SamgrBenchPeer
{
    /** The benchmark's service. */
    static final String SERVICE = "bench";
    /** The benchmark's feature. */
    static final String FEATURE = "echo";
    /** The echo's funcId (and RPC code of the bare object). */
    static final int ECHO = 1;
    /** The README example's SyncCall funcId ({@code ID_SYNCCALL}), answered by the feature and the bare object. */
    static final int SYNC_CALL = 2;

    private SamgrBenchPeer()
    {
    }

    /** The exported echo: reads a byte array, writes it back. */
    static final class EchoApi extends IUnknownEntry implements IServerProxy
    {
        EchoApi()
        {
            super(IUnknown.SERVER_IMPL_PROXY_VERSION);
        }

        @Override
        public int invoke(final int funcId, final CallingIdentity origin, final MessageSequence request,
            final MessageSequence reply)
        {
            switch (funcId)
            {
                case ECHO -> reply.writeByteArray(request.readByteArray());
                case SYNC_CALL -> syncCall(request, reply);
                default -> reply.writeBoolean(false);
            }
            return 0;
        }
    }

    /** The same echo as a bare RPC object. */
    static final class BareEcho extends RemoteObject
    {
        BareEcho()
        {
            super("bench.samgr.bare");
        }

        @Override
        protected boolean onRemoteMessageRequest(final int code, final MessageSequence data,
            final MessageSequence reply, final MessageOption option)
        {
            if (SYNC_CALL == code)
            {
                syncCall(data, reply);
            }
            else
            {
                reply.writeByteArray(data.readByteArray());
            }
            return true;
        }
    }

    /** The README's SyncCall: "TRUE" for a payload with a name and a non-negative id and value. */
    private static void syncCall(final MessageSequence request, final MessageSequence reply)
    {
        final int id = request.readInt();
        final int value = request.readInt();
        final String name = request.readUtf8String();
        reply.writeUtf8String(null != name && id >= 0 && value >= 0 ? "TRUE" : "FALSE");
    }

    /** A service on a task of its own, where the echo runs. */
    static Service service(final String name)
    {
        return Service.named(name, TaskConfig.single(TaskConfig.PRI_NORMAL, 64));
    }

    /**
     * Entry point.
     *
     * @param args the samgr server's address, the address for the bare echo.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Samgr samgr = Samgr.getInstance();
        final SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, args[0]);
        samgr.registerService(service(SERVICE));
        samgr.registerFeature(SERVICE, Feature.named(FEATURE));
        samgr.registerFeatureApi(SERVICE, FEATURE, new EchoApi());
        samgr.bootstrap();
        final ErrorCode exported = endpoint.awaitExported(SERVICE, FEATURE, 10_000);
        if (ErrorCode.EC_SUCCESS != exported)
        {
            System.out.println("failed " + exported);
            return;
        }
        final Publication bare = IPCSkeleton.publish(args[1], new BareEcho());
        System.out.println("ready");
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (null != in.readLine())
        {
            // lives until stdin closes
        }
        bare.close();
        endpoint.close();
    }
}
