package io.harmonia.foundation.bundle;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.bundle.BundleErrors;
import io.harmonia.bundle.BundleManagerProtocol;
import io.harmonia.foundation.ServiceStub;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageSequence;

/**
 * The bundle manager's RPC object ({@link BundleManagerProtocol}). Install and uninstall are for root and for
 * foundation's own uid (kernel identity); queries for everyone.
 */
public final class BundleManagerStub extends ServiceStub
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BundleManagerService service;
    private final int ownUid;

    /**
     * The stub of a service.
     *
     * @param service the bundle manager.
     */
    public BundleManagerStub(final BundleManagerService service)
    {
        super(BundleManagerProtocol.DESCRIPTOR);
        this.service = service;
        this.ownUid = IPCSkeleton.getSelfIdentity().uid();
    }

    @Override
    protected boolean dispatch(final int code, final MessageSequence data, final MessageSequence reply,
        final Caller caller) throws BundleException, JsonProcessingException
    {
        switch (code)
        {
            case BundleManagerProtocol.INSTALL ->
            {
                requireInstaller(caller, "install");
                final BundleRecord record = service.install(path(data.readString()));
                reply.writeInt(ServiceReply.OK);
                reply.writeString(record.bundleName());
                reply.writeInt(record.uid());
                reply.writeInt(record.versionCode());
                reply.writeBoolean(record.installTime() != record.updateTime());
            }
            case BundleManagerProtocol.UNINSTALL ->
            {
                requireInstaller(caller, "uninstall");
                service.uninstall(required(data.readString(), "bundleName"));
                reply.writeInt(ServiceReply.OK);
            }
            case BundleManagerProtocol.GET_BUNDLE_INFO ->
            {
                final String json = JSON.writeValueAsString(service.get(required(data.readString(), "bundleName")));
                reply.writeInt(ServiceReply.OK);
                reply.writeString(json);
            }
            case BundleManagerProtocol.LIST ->
            {
                final String json = JSON.writeValueAsString(service.list());
                reply.writeInt(ServiceReply.OK);
                reply.writeString(json);
            }
            case BundleManagerProtocol.GET_BUNDLE_NAME_BY_UID ->
            {
                final int target = data.readInt();
                final BundleRecord record = service.byUid(target).orElseThrow(() -> new BundleException(
                    BundleErrors.UID_NOT_FOUND, "no bundle has uid " + target, null));
                reply.writeInt(ServiceReply.OK);
                reply.writeString(record.bundleName());
            }
            default ->
            {
                return false;
            }
        }
        return true;
    }

    private void requireInstaller(final Caller caller, final String what)
    {
        if (0 != caller.uid() && ownUid != caller.uid())
        {
            throw new ServiceException(ServiceException.PERMISSION_DENIED, what + " is for root (and foundation's "
                + "uid " + ownUid + "), not uid " + caller.uid(), null);
        }
    }

    private static Path path(final String value)
    {
        try
        {
            final Path path = Path.of(required(value, "path"));
            if (!path.isAbsolute())
            {
                throw new IllegalArgumentException("field 'path' " + value + ": must be absolute");
            }
            return path;
        }
        catch (final InvalidPathException malformed)
        {
            throw new IllegalArgumentException("field 'path': " + malformed.getMessage(), malformed);
        }
    }
}
