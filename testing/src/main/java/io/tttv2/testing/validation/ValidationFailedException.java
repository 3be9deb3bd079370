package io.tttv2.testing.validation;

/** A validated call failed while {@link ValidationOptions#raiseOnFailure()} is set; the message is the record's one line. */
public final class ValidationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ValidationRecord record;

    public ValidationFailedException(ValidationRecord record) {
        super(record.describe());
        this.record = record;
    }

    /** The failing call. */
    public ValidationRecord record() {
        return record;
    }
}
