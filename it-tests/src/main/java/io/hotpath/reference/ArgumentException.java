package io.hotpath.reference;

/**
 * A bad command-line argument. The message is one complete line naming the bad value and what is allowed; the main
 * class prints it and exits with {@link StatusBroadcasterMain#EXIT_BAD_ARGUMENT}.
 */
public final class ArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message is printed to the user as is. */
    public ArgumentException(String message) {
        super(message);
    }
}
