package io.harmonia.foundation.bundle;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.harmonia.ability.ServiceException;
import io.harmonia.ability.ServiceReply;
import io.harmonia.bundle.BundleErrors;
import io.harmonia.bundle.BundleManagerProtocol;
import io.harmonia.rpc.IPCSkeleton;
import io.harmonia.rpc.MessageOption;
import io.harmonia.rpc.MessageSequence;
import io.harmonia.rpc.RemoteObject;

/**
 * The bundle manager's RPC object ({@link BundleManagerProtocol}). Install and uninstall are for root and for
 * foundation's own uid (kernel identity); queries for everyone. A malformed request gets 401 for its own call.
 */
public final class BundleManagerStub extends RemoteObject
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
    protected boolean onRemoteMessageRequest(final int code, final MessageSequence data, final MessageSequence reply,
        final MessageOption option)
    {
        final int uid = IPCSkeleton.getCallingUid();
        try
        {
            switch (code)
            {
                case BundleManagerProtocol.INSTALL ->
                {
                    requireInstaller(uid, "install");
                    final BundleRecord record = service.install(path(data.readString()));
                    reply.writeInt(ServiceReply.OK);
                    reply.writeString(record.bundleName());
                    reply.writeInt(record.uid());
                    reply.writeInt(record.versionCode());
                    reply.writeBoolean(record.installTime() != record.updateTime());
                }
                case BundleManagerProtocol.UNINSTALL ->
                {
                    requireInstaller(uid, "uninstall");
                    service.uninstall(required(data.readString(), "bundleName"));
                    reply.writeInt(ServiceReply.OK);
                }
                case BundleManagerProtocol.GET_BUNDLE_INFO ->
                {
                    final String json = JSON.writeValueAsString(service.get(required(data.readString(),
                        "bundleName")));
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
                        BundleErrors.BUNDLE_NOT_FOUND, "no bundle has uid " + target, null));
                    reply.writeInt(ServiceReply.OK);
                    reply.writeString(record.bundleName());
                }
                default ->
                {
                    return false;
                }
            }
        }
        catch (final BundleException failed)
        {
            reply.rewindWrite(0);
            ServiceReply.writeError(reply, failed.code(), failed.getMessage());
        }
        catch (final ServiceException failed)
        {
            reply.rewindWrite(0);
            ServiceReply.writeError(reply, failed.code(), failed.getMessage());
        }
        catch (final IllegalArgumentException | JsonProcessingException malformed)
        {
            reply.rewindWrite(0);
            ServiceReply.writeError(reply, ServiceException.PARAMETER_ERROR, malformed.getMessage());
        }
        return true;
    }

    private void requireInstaller(final int uid, final String what)
    {
        if (0 != uid && ownUid != uid)
        {
            throw new ServiceException(ServiceException.PERMISSION_DENIED, what + " is for root (and foundation's "
                + "uid " + ownUid + "), not uid " + uid, null);
        }
    }

    private static String required(final String value, final String field)
    {
        if (null == value || value.isEmpty())
        {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
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
