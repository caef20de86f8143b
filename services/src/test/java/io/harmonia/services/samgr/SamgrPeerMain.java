package io.harmonia.services.samgr;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.harmonia.rpc.CallingIdentity;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.IRemoteObject;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.samgr.Feature;
import io.harmonia.samgr.IUnknown;
import io.harmonia.samgr.IUnknownEntry;
import io.harmonia.samgr.Samgr;
import io.harmonia.samgr.SamgrException;
import io.harmonia.samgr.Service;
import io.harmonia.samgr.TaskConfig;
import io.harmonia.samgr.endpoint.SamgrEndpoint;
import io.harmonia.samgr.registry.AccessPolicy;
import io.harmonia.samgr.registry.IClientProxy;
import io.harmonia.samgr.registry.IServerProxy;
import io.harmonia.samgr.wire.SamgrKey;
import io.harmonia.samgr.wire.SamgrProtocol;

/**
 * A provider or consumer process for the samgr tests: attaches the process's samgr to the server at the address
 * given, prints "ready", then answers one line per command on stdin (one line each, so the test reads them in
 * order). Its own pid is in the ready line.
 *
 * <pre>
 * provide SVC FEAT|- [RULE...]  register service SVC (feature FEAT) with an {@link EchoServer}; answers the export status
 * withdraw SVC FEAT|-           unregister the API (and the feature and service); answers "ok"
 * call SVC FEAT|- TEXT          getFeatureApi + invoke(ECHO, TEXT): answers "STATUS REPLY"
 * oneway SVC FEAT|- TEXT        invoke(ECHO) without notify: answers the status
 * who SVC FEAT|-                invoke(WHO): answers "STATUS UID PID THREAD"
 * get SVC FEAT|- MILLIS         SamgrClient.get: answers "found", "null" or the EC code of the refusal
 * watch                         print "died SVC/FEAT NANOS" whenever a resolved provider dies (System.nanoTime)
 * relay SAID TEXT               call system ability SAID (code 1), which answers a feature's object, then call that
 *                               object directly with ECHO TEXT: answers the reply's status (no samgr lookup involved)
 * stats                         answers "fds N threads N maps N"
 * </pre>
 */
public final class SamgrPeerMain
{
    /** The services this peer registered (a service takes features only before it is initialised). */
    private static final java.util.Set<String> REGISTERED = new java.util.HashSet<>();

    private SamgrPeerMain()
    {
    }

    /** The API the peers provide: echo, who calls, and anything else answered bool false. */
    static final class EchoServer extends IUnknownEntry implements IServerProxy
    {
        static final int ECHO = 1;
        static final int WHO = 2;

        private final List<AccessPolicy> policies;

        EchoServer(final List<AccessPolicy> policies)
        {
            super(IUnknown.SERVER_IMPL_PROXY_VERSION);
            this.policies = List.copyOf(policies);
        }

        @Override
        public int invoke(final int funcId, final CallingIdentity origin, final MessageSequence request,
            final MessageSequence reply)
        {
            switch (funcId)
            {
                case ECHO -> reply.writeUtf8String(request.readUtf8String());
                case WHO ->
                {
                    reply.writeInt(IPCSkeleton.getCallingUid());
                    reply.writeInt(origin.pid());
                    reply.writeUtf8String(Thread.currentThread().getName());
                }
                default -> reply.writeBoolean(false);
            }
            return 0;
        }

        @Override
        public List<AccessPolicy> accessPolicies()
        {
            return policies;
        }
    }

    /** A service on a task of its own, so calls are seen to run on it. */
    static Service service(final String name)
    {
        return Service.named(name, TaskConfig.single(TaskConfig.PRI_NORMAL, 64));
    }

    /**
     * Entry point.
     *
     * @param args the server's address.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Samgr samgr = Samgr.getInstance();
        final SamgrEndpoint endpoint = SamgrEndpoint.attach(samgr, args[0]);
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); null != line; line = in.readLine())
        {
            final String answer;
            try
            {
                answer = answer(samgr, endpoint, line.split(" ", -1));
            }
            catch (final RuntimeException failed)
            {
                System.out.println("error " + failed);
                System.out.flush();
                continue;
            }
            System.out.println(answer);
            System.out.flush();
        }
        endpoint.close();
    }

    private static String answer(final Samgr samgr, final SamgrEndpoint endpoint, final String[] words)
        throws Exception
    {
        final String service = words.length > 1 ? words[1] : null;
        final String feature = words.length > 2 && !"-".equals(words[2]) ? words[2] : null;
        switch (words[0])
        {
            case "provide" ->
            {
                final List<AccessPolicy> policies = new ArrayList<>();
                for (int i = 3; i < words.length; i++)
                {
                    policies.add(AccessPolicy.parse(words[i]));
                }
                if (REGISTERED.add(service))
                {
                    samgr.registerService(service(service));
                    if (null != feature)
                    {
                        samgr.registerFeature(service, Feature.named(feature));
                    }
                    samgr.bootstrap();
                }
                samgr.registerFeatureApi(service, feature, new EchoServer(policies));
                return endpoint.awaitExported(service, feature, 10_000).name();
            }
            case "withdraw" ->
            {
                samgr.unregisterFeatureApi(service, feature);
                return "ok";
            }
            case "call" ->
            {
                return withProxy(samgr, service, feature, proxy ->
                {
                    final String[] echoed = new String[1];
                    final int status = proxy.invoke(EchoServer.ECHO, text(words[3]), echoed,
                        (owner, code, reply) -> { ((String[])owner)[0] = reply.readUtf8String(); return 0; });
                    return status + " " + echoed[0];
                });
            }
            case "oneway" ->
            {
                return withProxy(samgr, service, feature,
                    proxy -> Integer.toString(proxy.invoke(EchoServer.ECHO, text(words[3]), null, null)));
            }
            case "who" ->
            {
                return withProxy(samgr, service, feature, proxy ->
                {
                    final String[] who = new String[1];
                    final int status = proxy.invoke(EchoServer.WHO, null, who, (owner, code, reply) ->
                    {
                        ((String[])owner)[0] = Integer.toUnsignedString(reply.readInt()) + " " + reply.readInt() + " "
                            + reply.readUtf8String();
                        return 0;
                    });
                    return status + " " + who[0];
                });
            }
            case "get" ->
            {
                try
                {
                    return null == endpoint.client().get(SamgrKey.feature(service, feature), Integer.parseInt(words[3]))
                        ? "null" : "found";
                }
                catch (final SamgrException refused)
                {
                    return refused.errorCode().name();
                }
            }
            case "relay" ->
            {
                final IRemoteObject relay = endpoint.client().checkSystemAbility(Integer.parseInt(words[1]));
                if (null == relay)
                {
                    return "null";
                }
                try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
                {
                    relay.sendMessageRequestSync(1, data, reply, new MessageOption());
                    final IRemoteObject target = reply.readRemoteObject();
                    data.writeUtf8String(words[2]);
                    target.sendMessageRequestSync(SamgrProtocol.codeOfFuncId(EchoServer.ECHO), data, reply,
                        new MessageOption());
                    return Integer.toString(reply.readInt());
                }
            }
            case "watch" ->
            {
                endpoint.setProviderDeathListener((deadService, deadFeature) ->
                {
                    final long at = System.nanoTime();
                    System.out.println("died " + deadService + "/" + deadFeature + " " + at);
                    System.out.flush();
                });
                return "ok";
            }
            case "stats" ->
            {
                System.gc();
                final int[] resources = Jvm.resources(ProcessHandle.current().pid());
                return "fds " + resources[0] + " threads " + resources[1] + " maps " + resources[2];
            }
            default ->
            {
                return "error unknown command " + words[0];
            }
        }
    }

    /** Runs a call on the API's client proxy (looked up through samgr) and releases it; "null" when not found. */
    private static String withProxy(final Samgr samgr, final String service, final String feature,
        final java.util.function.Function<IClientProxy, String> call)
    {
        final IUnknown api = samgr.getFeatureApi(service, feature);
        final IClientProxy proxy = null == api ? null
            : api.queryInterface(IUnknown.CLIENT_PROXY_VERSION, IClientProxy.class);
        if (null == proxy)
        {
            return "null";
        }
        try
        {
            return call.apply(proxy);
        }
        finally
        {
            proxy.release();
        }
    }

    /** A request holding one UTF-8 string (the caller does not reclaim it: the test peer is short-lived). */
    private static MessageSequence text(final String value)
    {
        final MessageSequence request = MessageSequence.create();
        request.writeUtf8String(value);
        return request;
    }
}
