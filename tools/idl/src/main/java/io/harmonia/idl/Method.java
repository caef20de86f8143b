package io.harmonia.idl;

import java.util.List;

/**
 * A method of an interface.
 *
 * @param name       the IDL name (e.g. {@code ProcessData}).
 * @param result     the result type ({@link IdlType.Void} for none).
 * @param oneway     sent with TF_ASYNC, no reply (by its own attribute or the interface's).
 * @param parameters the parameters in declaration order.
 * @param code       the request code: 1, 2, 3... in declaration order.
 * @param position   where its name is.
 */
record Method(String name, IdlType result, boolean oneway, List<Parameter> parameters, int code, Position position)
{
    Method
    {
        parameters = List.copyOf(parameters);
    }

    /**
     * Whether the method returns a value.
     *
     * @return false for void.
     */
    boolean returnsValue()
    {
        return !(result instanceof IdlType.Void);
    }
}
