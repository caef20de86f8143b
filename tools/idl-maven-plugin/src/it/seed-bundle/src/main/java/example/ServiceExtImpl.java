package example;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ohos.IdlServiceExtStub;

/** The seed's idl_service_ext_impl.ts in Java: the service behind IIdlServiceExt. */
public final class ServiceExtImpl extends IdlServiceExtStub
{
    private final Map<String, Integer> map = new ConcurrentHashMap<>();

    public ServiceExtImpl(final String descriptor)
    {
        super(descriptor);
    }

    @Override
    public void processData(final int data, final ProcessDataCallback callback)
    {
        callback.onResult(ERR_OK, data + 1);
    }

    @Override
    public void insertDataToMap(final String key, final int val, final InsertDataToMapCallback callback)
    {
        map.put(key, val);
        callback.onResult(ERR_OK);
    }

    public Integer valueOf(final String key)
    {
        return map.get(key);
    }
}
