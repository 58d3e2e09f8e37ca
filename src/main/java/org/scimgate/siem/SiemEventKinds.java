package org.scimgate.siem;

/**
 * The kinds of record that go to a SIEM, told apart in one place: each schema writes each kind its
 * own way, and a kind added here is a compile error in every schema until it is written.
 */
interface SiemEventKinds<T> {

    T decision(SiemRecord record);

    T remediation(RemediationOutcome outcome);

    T policyChange(PolicyChange change);

    T notice(SiemNotice notice);

    T checkpoint(ChainCheckpoint checkpoint);

    default T write(SiemEvent event) {
        if (RemediationOutcome.is(event)) {
            return remediation(RemediationOutcome.of((SiemNotice) event));
        }
        if (event instanceof SiemRecord record) {
            return decision(record);
        }
        if (event instanceof PolicyChange change) {
            return policyChange(change);
        }
        if (event instanceof SiemNotice notice) {
            return notice(notice);
        }
        return checkpoint((ChainCheckpoint) event);
    }
}
