package io.harmonia.ability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.harmonia.rpc.RemoteObject;

/**
 * The extension instances of one app process and their callbacks, as the ability manager schedules them through
 * the app thread. Instances are keyed by the ability manager's record id, so a late request for an instance the
 * manager has given up on (after a timeout) never reaches its successor. The callbacks of one instance run one at a
 * time (the instance's lock); instances do not wait for each other. A callback that throws fails its request with
 * {@link AbilityErrors#INNER}, the message naming the extension and the exception.
 */
final class ExtensionHost
{
    private final Map<Long, Instance> instances = new ConcurrentHashMap<>();
    private volatile ApplicationInfo application;
    private volatile AbilityConnector connector;

    /** One instance: its ability and the lock its callbacks run under. */
    private record Instance(String name, ExtensionAbilityType type, ExtensionAbility ability)
    {
    }

    void bind(final ApplicationInfo info, final AbilityConnector abilityConnector)
    {
        this.application = info;
        this.connector = abilityConnector;
    }

    /** Makes the instance and runs its onCreate; a failed onCreate forgets it again. */
    void create(final long recordId, final String name, final String srcEntry, final ExtensionAbilityType type,
        final Want want)
    {
        final ApplicationInfo info = application;
        if (null == info)
        {
            throw new AbilityException(AbilityErrors.INNER, "the process has not attached yet");
        }
        final ExtensionAbility ability = instantiate(name, srcEntry, type);
        ability.attach(ExtensionAbilityType.SERVICE == type ? new ServiceExtensionContext(info, name, connector)
            : new AppServiceExtensionContext(info, name, connector));
        final Instance instance = new Instance(name, type, ability);
        synchronized (instance)
        {
            if (null != instances.putIfAbsent(recordId, instance))
            {
                throw new AbilityException(AbilityErrors.INNER, "extension '" + name + "' (record " + recordId
                    + ") exists already");
            }
            try
            {
                ability.onCreate(want);
            }
            catch (final RuntimeException thrown)
            {
                instances.remove(recordId);
                throw thrown;
            }
        }
    }

    void command(final long recordId, final Want want, final int startId)
    {
        final Instance instance = require(recordId);
        synchronized (instance)
        {
            instance.ability().onRequest(want, startId);
        }
    }

    RemoteObject connect(final long recordId, final Want want)
    {
        final Instance instance = require(recordId);
        synchronized (instance)
        {
            return instance.ability().onConnect(want);
        }
    }

    void disconnect(final long recordId, final Want want)
    {
        final Instance instance = require(recordId);
        synchronized (instance)
        {
            instance.ability().onDisconnect(want);
        }
    }

    /** onDestroy, then the instance is forgotten (also when onDestroy threw). */
    void destroy(final long recordId)
    {
        final Instance instance = require(recordId);
        synchronized (instance)
        {
            try
            {
                instance.ability().onDestroy();
            }
            finally
            {
                instances.remove(recordId);
            }
        }
    }

    /** Every instance's onDestroy (the process is exiting); one that throws does not stop the others. */
    void destroyAll()
    {
        for (final long recordId : java.util.List.copyOf(instances.keySet()))
        {
            try
            {
                destroy(recordId);
            }
            catch (final RuntimeException thrown)
            {
                System.err.println("harmonia app: destroying extension record " + recordId + " threw " + thrown);
            }
        }
    }

    /** The live instances: record id to "name (type)". */
    Map<Long, String> names()
    {
        final Map<Long, String> names = new LinkedHashMap<>();
        instances.forEach((id, instance) -> names.put(id, instance.name() + " (" + instance.type().manifestType()
            + ")"));
        return names;
    }

    private Instance require(final long recordId)
    {
        final Instance instance = instances.get(recordId);
        if (null == instance)
        {
            throw new AbilityException(AbilityErrors.CONTEXT_NOT_EXIST, "extension record " + recordId
                + " does not exist in this process");
        }
        return instance;
    }

    private static ExtensionAbility instantiate(final String name, final String srcEntry,
        final ExtensionAbilityType type)
    {
        final Class<?> loaded;
        try
        {
            loaded = Class.forName(srcEntry, false, ClassLoader.getSystemClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new AbilityException(AbilityErrors.RESOLVE_FAILED, "extension '" + name + "': srcEntry class "
                + srcEntry + " cannot be loaded: " + ex);
        }
        if (!type.baseClass().isAssignableFrom(loaded))
        {
            throw new AbilityException(AbilityErrors.WRONG_TYPE, "extension '" + name + "' has type \""
                + type.manifestType() + "\": srcEntry class " + srcEntry + " does not extend "
                + type.baseClass().getName());
        }
        try
        {
            return (ExtensionAbility)loaded.getConstructor().newInstance();
        }
        catch (final ReflectiveOperationException | LinkageError ex)
        {
            throw new AbilityException(AbilityErrors.INNER, "extension '" + name + "': cannot construct " + srcEntry
                + " (it needs a public no-argument constructor): " + ex);
        }
    }
}
