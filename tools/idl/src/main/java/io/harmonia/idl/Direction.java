package io.harmonia.idl;

/** Which way a parameter travels. */
enum Direction
{
    /** Caller to service: written by the proxy, read by the stub. */
    IN("in"),
    /** Service to caller: written by the stub into the reply, read by the proxy. */
    OUT("out"),
    /** Both ways. */
    INOUT("inout");

    private final String idl;

    Direction(final String idl)
    {
        this.idl = idl;
    }

    String idl()
    {
        return idl;
    }

    boolean sent()
    {
        return this != OUT;
    }

    boolean returned()
    {
        return this != IN;
    }
}
