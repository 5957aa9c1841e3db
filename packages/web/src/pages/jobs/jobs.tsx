import type { Job } from '@structured-prompt/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { TableWrap } from '../../components/table-wrap.tsx';
import { dateTime, usd } from '../../lib/format.ts';
import { DeadLetters } from './dead-letters.tsx';
import { JobResultsView } from './job-results.tsx';
import { SubmitJob } from './submit-job.tsx';

const finished = new Set(['completed', 'failed', 'cancelled', 'expired']);

function JobRow({ job, onOpen, onCancel }: { job: Job; onOpen: () => void; onCancel: () => void }) {
  return (
    <tr>
      <th scope="row">
        <button type="button" className="secondary" onClick={onOpen} aria-label={`Results of job ${job.id}`}>
          {job.id.slice(0, 8)}…
        </button>
      </th>
      <td>
        <span className="badge">{job.status}</span>
      </td>
      <td>
        <progress max={100} value={job.progress.percent} aria-label={`Progress of job ${job.id}`} />{' '}
        {job.progress.succeeded + job.progress.failed + job.progress.cancelled}/{job.progress.total}
        {job.progress.failed > 0 && <span className="error"> ({job.progress.failed} failed)</span>}
      </td>
      <td>
        {job.type}, {job.priority}
      </td>
      <td>{dateTime(job.created_at)}</td>
      <td>{usd(job.usage.cost_usd)}</td>
      <td>
        {!finished.has(job.status) && (
          <button type="button" className="danger" onClick={onCancel} aria-label={`Cancel job ${job.id}`}>
            Cancel
          </button>
        )}
      </td>
    </tr>
  );
}

/** Async jobs and batches: progress while they run, results when done, cancel, and dead letters (admin). */
export default function Jobs() {
  const { client, isAdmin } = useSession();
  const queries = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const jobs = useQuery({
    queryKey: ['jobs'],
    queryFn: () => client.jobs(),
    // Poll while something is still running; stop once every job has finished.
    refetchInterval: (query) =>
      query.state.data?.items.some((job) => !finished.has(job.status)) ? 2_000 : false,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => client.cancelJob(id),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <SubmitJob />
      <h2>Recent jobs</h2>
      {jobs.isPending && <Loading />}
      {jobs.error && <ErrorState error={jobs.error} />}
      {cancel.error && <ErrorState error={cancel.error} />}
      {jobs.data?.items.length === 0 && <Empty>No jobs yet. Submit one above, or through the API.</Empty>}
      {jobs.data && jobs.data.items.length > 0 && (
        <TableWrap label="Jobs">
          <table>
            <caption className="visually-hidden">Jobs, newest first</caption>
            <thead>
              <tr>
                {['Job', 'Status', 'Progress', 'Kind', 'Created', 'Cost', 'Actions'].map((heading) => (
                  <th scope="col" key={heading}>
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((job) => (
                <JobRow
                  key={job.id}
                  job={job}
                  onOpen={() => setOpen(job.id)}
                  onCancel={() => cancel.mutate(job.id)}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {open && <JobResultsView id={open} />}
      {isAdmin && <DeadLetters />}
    </section>
  );
}
