package dev.cnnensemble.jobs;

/** A member of a job as the queue names it: {@code <jobId>/<member>}. */
record MemberTaskId(String jobId, int member) {

    static MemberTaskId parse(String instance) {
        int slash = instance.lastIndexOf('/');
        return new MemberTaskId(instance.substring(0, slash), Integer.parseInt(instance.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return jobId + "/" + member;
    }
}
