package io.harmonia.rpc;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.harmonia.bindings.channel.Channel;
import io.harmonia.bindings.channel.ChannelException;
import io.harmonia.bindings.channel.ChannelListener;
import io.harmonia.bindings.posix.Posix;

/**
 * The RPC runtime of this process (OpenHarmony's {@code IPCProcessSkeleton}): its endpoint (an abstract AF_UNIX
 * address other processes connect to), the connections to and from other processes, the table of this process's
 * objects that others know ({@link ObjectTable}), the proxies of others' objects, the references in transit, and the
 * threads that run incoming requests ({@link IncomingCalls}). Started on first use; one per process.
 *
 * <p><b>References.</b> Writing an object into a message pins it for the receiving process under a fresh transfer
 * id; the receiver, when it reads the object, takes its own reference at the owner (ACQUIRE, which converts the
 * owner's pin; or ACQUIRE_SYNC when a third process passed the reference on, followed by TRANSFER_DONE to that
 * third process, whose proxy stayed pinned meanwhile). A process whose connections all close loses its references
 * and pins. See docs/architecture.md section 6 for the frames.
 */
final class RpcRuntime
{
    private static final System.Logger LOG = System.getLogger(RpcRuntime.class.getName());
    private static volatile RpcRuntime instance;

    private final RpcConfig config;
    private final int pid;
    private final long instanceId;
    private final String address;
    private final byte[] addressBytes;
    private final ChannelListener listener;
    private final ObjectTable objects = new ObjectTable();
    private final IncomingCalls incoming;
    private final ConcurrentHashMap<String, OutgoingConnection> outgoing = new ConcurrentHashMap<>();
    private final Map<IncomingConnection, Boolean> incomingConnections = new ConcurrentHashMap<>();
    /** (owner address, object id) -> the live proxy. */
    private final ConcurrentHashMap<ProxyKey, WeakReference<RemoteProxy>> proxies = new ConcurrentHashMap<>();
    /** transfer id -> a proxy passed on to a third process, kept alive until that process took its own reference. */
    private final ConcurrentHashMap<Long, ProxyPin> proxyPins = new ConcurrentHashMap<>();
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicInteger readerNumbers = new AtomicInteger();
    private final ExecutorService asyncCalls;
    private final ExecutorService deathNotices;
    private final DeathWatch deathWatch;
    private final TokenLookup tokens;

    private record ProxyKey(String address, long objectId)
    {
    }

    private record ProxyPin(RemoteProxy proxy, int destinationPid)
    {
    }

    private RpcRuntime(final RpcConfig config)
    {
        this.config = config;
        this.pid = Posix.pid();
        final SecureRandom random = new SecureRandom();
        this.instanceId = random.nextLong();
        final byte[] name = new byte[8];
        random.nextBytes(name);
        this.address = "@harmonia.rpc." + pid + "." + HexFormat.of().formatHex(name);
        this.addressBytes = address.getBytes(StandardCharsets.UTF_8);
        Channel.linkTeardown();
        this.listener = ChannelListener.listen(address);
        this.tokens = TokenLookup.create();
        this.incoming = new IncomingCalls(this);
        this.asyncCalls = Executors.newCachedThreadPool(daemon("harmonia-rpc-async-"));
        this.deathNotices = Executors.newSingleThreadExecutor(daemon("harmonia-rpc-death-"));
        this.deathWatch = new DeathWatch(this);
        final Thread acceptor = new Thread(() -> acceptLoop(listener, null), "harmonia-rpc-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The runtime of this process, started on first use. */
    static RpcRuntime get()
    {
        RpcRuntime current = instance;
        if (null == current)
        {
            synchronized (RpcRuntime.class)
            {
                current = instance;
                if (null == current)
                {
                    current = new RpcRuntime(RpcConfig.fromSystemProperties());
                    instance = current;
                }
            }
        }
        return current;
    }

    private static java.util.concurrent.ThreadFactory daemon(final String prefix)
    {
        final AtomicInteger numbers = new AtomicInteger();
        return work ->
        {
            final Thread thread = new Thread(work, prefix + numbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    RpcConfig config()
    {
        return config;
    }

    int pid()
    {
        return pid;
    }

    long instance()
    {
        return instanceId;
    }

    String address()
    {
        return address;
    }

    ObjectTable objects()
    {
        return objects;
    }

    IncomingCalls incoming()
    {
        return incoming;
    }

    ExecutorService asyncCalls()
    {
        return asyncCalls;
    }

    Collection<IncomingConnection> incomingConnections()
    {
        return incomingConnections.keySet();
    }

    Collection<OutgoingConnection> outgoingConnections()
    {
        return outgoing.values();
    }

    long tokenOf(final int peerPid)
    {
        return tokens.tokenOf(peerPid);
    }

    // ---- connections ----

    /** Accepts clients until the listener closes; each gets a reader thread. */
    private void acceptLoop(final ChannelListener from, final RemoteObject root)
    {
        while (true)
        {
            final Channel channel;
            try
            {
                channel = from.accept(config.ringBytes(), 200_000_000L);
            }
            catch (final ChannelException closed)
            {
                if (ChannelException.CLOSED != closed.errno())
                {
                    LOG.log(System.Logger.Level.WARNING, "accepting an RPC client failed: " + closed.getMessage());
                    continue;
                }
                return;
            }
            if (null == channel)
            {
                continue;
            }
            final IncomingConnection connection = new IncomingConnection(this, channel, root);
            incomingConnections.put(connection, Boolean.TRUE);
            watch(connection);
            startReader(connection);
        }
    }

    void startReader(final IncomingConnection connection)
    {
        final Thread reader = new Thread(connection::serve, "harmonia-rpc-in-" + connection.peerPid() + "-" +
            readerNumbers.incrementAndGet());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The connection to another process's endpoint, opened (and introduced with HELLO) when there is none.
     *
     * @param expectedPid the pid the endpoint must belong to (kernel SO_PEERCRED), or 0 for any.
     * @throws RemoteCallException DEAD_OBJECT when it cannot be reached or belongs to another process.
     */
    OutgoingConnection outgoing(final String peerAddress, final int expectedPid)
    {
        final OutgoingConnection existing = outgoing.get(peerAddress);
        if (null != existing && !existing.isClosed())
        {
            return existing;
        }
        final Channel channel;
        try
        {
            channel = Channel.connect(peerAddress, config.connectNanos());
        }
        catch (final ChannelException unreachable)
        {
            throw new RemoteCallException(CallFailure.DEAD_OBJECT, new RequestResult(CallFailure.DEAD_OBJECT.status(),
                0, null, null), "cannot reach " + peerAddress + ": " + unreachable.getMessage());
        }
        if (0 != expectedPid && channel.peer().pid() != expectedPid)
        {
            final int actual = channel.peer().pid();
            channel.close();
            throw new RemoteCallException(CallFailure.DEAD_OBJECT, new RequestResult(CallFailure.DEAD_OBJECT.status(),
                0, null, null), peerAddress + " belongs to pid " + actual + ", the reference names pid " + expectedPid);
        }
        final OutgoingConnection created = new OutgoingConnection(this, channel, peerAddress);
        final OutgoingConnection raced = outgoing.compute(peerAddress,
            (key, current) -> null != current && !current.isClosed() ? current : created);
        if (raced != created)
        {
            created.close("another thread connected to " + peerAddress + " first");
            return raced;
        }
        created.sendHello(addressBytes);
        watch(created);
        return created;
    }

    /**
     * Watches a connection for its peer's death from the start, so isObjectDead(), death recipients and the release
     * of a dead client's references follow within milliseconds even while no thread waits on it; its own waits then
     * park long instead of polling the socket.
     */
    private void watch(final Connection connection)
    {
        if (deathWatch.watch(connection))
        {
            connection.channel.watchedElsewhere(true);
        }
    }

    /** An outgoing connection closed: the owner is gone for us; its proxies are dead. */
    void outgoingClosed(final OutgoingConnection connection, final String reason)
    {
        outgoing.entrySet().removeIf(entry -> entry.getValue() == connection);
        deathWatch.forget(connection);
        proxyPins.values().removeIf(pin -> pin.proxy().connection == connection);
        final List<RemoteProxy> dead = new ArrayList<>();
        for (final WeakReference<RemoteProxy> reference : proxies.values())
        {
            final RemoteProxy proxy = reference.get();
            if (null != proxy && proxy.connection == connection)
            {
                dead.add(proxy);
            }
        }
        proxies.values().removeIf(reference ->
        {
            final RemoteProxy proxy = reference.get();
            return null == proxy || proxy.connection == connection;
        });
        if (dead.isEmpty())
        {
            return;
        }
        deathNotices.execute(() ->
        {
            for (final RemoteProxy proxy : dead)
            {
                for (final DeathRecipient recipient : proxy.takeRecipients())
                {
                    try
                    {
                        recipient.onRemoteDied();
                    }
                    catch (final RuntimeException | Error failure)
                    {
                        LOG.log(System.Logger.Level.WARNING, "a death recipient of " + proxy + " threw (" + reason +
                            ")", failure);
                    }
                }
            }
        });
    }

    /** An incoming connection closed: once a process has none left, its references and pins go. */
    void incomingClosed(final IncomingConnection connection, final String reason)
    {
        incomingConnections.remove(connection);
        deathWatch.forget(connection);
        final int gone = connection.peerPid();
        for (final IncomingConnection other : incomingConnections.keySet())
        {
            if (other.peerPid() == gone && !other.isClosed())
            {
                return;
            }
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "pid " + gone + " disconnected: " + reason);
        objects.processGone(gone);
        proxyPins.values().removeIf(pin -> pin.destinationPid() == gone);
    }

    // ---- references ----

    /**
     * The reference to send for an object written into a message for a process: pins it under a fresh transfer id.
     *
     * @throws RpcException 401 for an object that is neither a RemoteObject nor a RemoteProxy, 1900008 for a dead
     *                      proxy.
     */
    ReferenceEntry referenceFor(final IRemoteObject object, final int destinationPid)
    {
        final long transferId = transfers.incrementAndGet();
        if (object instanceof RemoteObject stub)
        {
            final ExportedObject exported = objects.pin(stub, transferId, destinationPid);
            return new ReferenceEntry(exported.id, exported.secretLow, exported.secretHigh, transferId, pid, address,
                stub.getDescriptor());
        }
        if (object instanceof RemoteProxy proxy)
        {
            if (proxy.isObjectDead())
            {
                throw new RpcException(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR, "field 'remote object': " +
                    proxy.describe() + " is dead and cannot be sent");
            }
            proxyPins.put(transferId, new ProxyPin(proxy, destinationPid));
            return new ReferenceEntry(proxy.objectId, proxy.secretLow, proxy.secretHigh, transferId, proxy.ownerPid,
                proxy.ownerAddress, proxy.getDescriptor());
        }
        throw new RpcException(RpcException.CHECK_PARAM_ERROR, "field 'remote object': " + object.getClass().getName() +
            " is neither a RemoteObject nor a RemoteProxy");
    }

    /** A transfer this process pinned is over (sent nothing, or the receiver settled it). */
    void transferDone(final long transferId)
    {
        if (null == proxyPins.remove(transferId))
        {
            objects.transferDone(transferId);
        }
    }

    /** TRANSFER_DONE from a process: honoured only for a transfer that was sent to that process. */
    void transferDoneBy(final long transferId, final int senderPid)
    {
        final ProxyPin pin = proxyPins.get(transferId);
        if (null != pin)
        {
            if (pin.destinationPid() == senderPid)
            {
                proxyPins.remove(transferId, pin);
            }
            return;
        }
        objects.transferDoneBy(transferId, senderPid);
    }

    /** Tells the writer of a received reference that it will not be read. */
    void transferDone(final ReferenceEntry entry, final Connection source)
    {
        try
        {
            source.linkToPeer().sendTransferDone(entry.transferId());
        }
        catch (final RpcException unreachable)
        {
            LOG.log(System.Logger.Level.DEBUG, () -> "TRANSFER_DONE for " + entry + " not sent: " +
                unreachable.getMessage());
        }
    }

    void releaseReferences(final ReferenceEntry[] entries, final Connection source)
    {
        for (final ReferenceEntry entry : entries)
        {
            transferDone(entry, source);
        }
    }

    /**
     * The object a received reference names: this process's own object, the existing proxy, or a new proxy with a
     * reference taken at the owner. The writer's pin is settled in every case.
     *
     * @throws RpcException 1900008 when the reference cannot be used (unknown object, wrong secret, owner gone).
     */
    IRemoteObject materialize(final ReferenceEntry entry, final Connection source)
    {
        if (entry.ownerPid() == pid && entry.ownerAddress().equals(address))
        {
            // Look the object up before the pin goes: the transfer's pin may be all that keeps it in the table.
            final ExportedObject exported = objects.get(entry.objectId());
            transferDone(entry, source);
            if (null == exported || exported.secretLow != entry.secretLow() ||
                exported.secretHigh != entry.secretHigh())
            {
                throw invalidReference(entry, "this process holds no such object");
            }
            return exported.object;
        }
        final ProxyKey key = new ProxyKey(entry.ownerAddress(), entry.objectId());
        final WeakReference<RemoteProxy> known = proxies.get(key);
        final RemoteProxy existing = null == known ? null : known.get();
        if (null != existing && !existing.isObjectDead())
        {
            transferDone(entry, source);
            return existing;
        }
        final OutgoingConnection owner;
        try
        {
            owner = source instanceof OutgoingConnection from && from.peerPid() == entry.ownerPid()
                ? aliasOf(from, entry.ownerAddress())
                : outgoing(entry.ownerAddress(), entry.ownerPid());
        }
        catch (final RemoteCallException unreachable)
        {
            transferDone(entry, source);
            throw invalidReference(entry, unreachable.getMessage());
        }
        final boolean fromOwner = source.peerPid() == entry.ownerPid();
        if (fromOwner)
        {
            owner.sendAcquire(entry.objectId(), entry.secretLow(), entry.secretHigh(), entry.transferId());
        }
        else
        {
            final int status = owner.acquireSync(entry.objectId(), entry.secretLow(), entry.secretHigh());
            transferDone(entry, source);
            if (0 != status)
            {
                throw invalidReference(entry, "the owner refused it: " + CallFailure.ofStatus(status).meaning());
            }
        }
        final RemoteProxy created = new RemoteProxy(owner, entry, this);
        while (true)
        {
            final WeakReference<RemoteProxy> current = proxies.putIfAbsent(key, new WeakReference<>(created));
            if (null == current)
            {
                return created;
            }
            final RemoteProxy winner = current.get();
            if (null != winner && !winner.isObjectDead())
            {
                created.releaseNow(); // one proxy per object: ours only held a duplicate reference
                return winner;
            }
            if (proxies.replace(key, current, new WeakReference<>(created)))
            {
                return created;
            }
        }
    }

    /** Registers an outgoing connection (to a published address) also under the owner's endpoint address. */
    private OutgoingConnection aliasOf(final OutgoingConnection connection, final String ownerAddress)
    {
        final OutgoingConnection current = outgoing.putIfAbsent(ownerAddress, connection);
        return null == current || current.isClosed() ? connection : current;
    }

    private static RpcException invalidReference(final ReferenceEntry entry, final String why)
    {
        return new RpcException(RpcException.PROXY_OR_REMOTE_OBJECT_INVALID_ERROR, "field 'remote object': " + entry +
            ": " + why);
    }

    /** A proxy was collected (or dropped as a duplicate): its reference at the owner goes. */
    void proxyCollected(final OutgoingConnection connection, final String ownerAddress, final long objectId)
    {
        final ProxyKey key = new ProxyKey(ownerAddress, objectId);
        final WeakReference<RemoteProxy> current = proxies.get(key);
        if (null != current && null == current.get())
        {
            proxies.remove(key, current);
        }
        if (!connection.isClosed())
        {
            connection.sendRelease(objectId, 1);
        }
    }

    int proxyCount()
    {
        proxies.values().removeIf(reference -> null == reference.get());
        return proxies.size();
    }

    int proxyPinCount()
    {
        return proxyPins.size();
    }

    // ---- publishing ----

    /** Publishes an object at an address of its own: every client that connects there gets it as its root. */
    Publication publish(final String at, final RemoteObject root)
    {
        final ChannelListener published = ChannelListener.listen(at);
        final Thread acceptor = new Thread(() -> acceptLoop(published, root), "harmonia-rpc-accept-" + at);
        acceptor.setDaemon(true);
        acceptor.start();
        return new Publication(at, published, acceptor);
    }

    /** Connects to a published address and returns its root object. */
    IRemoteObject connect(final String at, final long timeoutMillis)
    {
        final OutgoingConnection connection = outgoing(at, 0);
        try (MessageSequence data = MessageSequence.create(); MessageSequence reply = MessageSequence.create())
        {
            final MessageOption option = new MessageOption();
            option.setWaitTimeMillis(Math.max(1, timeoutMillis));
            final PendingCall call = connection.call(Frames.ROOT_OBJECT, IRemoteObject.MIN_TRANSACTION_ID, data, reply,
                option);
            if (0 != call.status())
            {
                throw StubDispatch.failure(CallFailure.ofStatus(call.status()), IRemoteObject.MIN_TRANSACTION_ID, data,
                    reply, "asking " + at + " for its published object: " + call.detail());
            }
            return reply.readRemoteObject();
        }
    }
}
