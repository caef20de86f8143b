package io.harmonia.foundation.bundle;

/**
 * A bundle request the bundle manager refused or could not carry out, with the OpenHarmony code its reply carries
 * ({@link io.harmonia.bundle.BundleErrors}, 201, 401). Nothing was changed when one is thrown.
 */
public final class BundleException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * A failure.
     *
     * @param code    the code.
     * @param message what failed, naming the field, file or bundle.
     * @param cause   the underlying failure, or null.
     */
    public BundleException(final int code, final String message, final Throwable cause)
    {
        super(message, cause);
        this.code = code;
    }

    /**
     * The code.
     *
     * @return e.g. 17700010.
     */
    public int code()
    {
        return code;
    }
}
