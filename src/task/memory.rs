//! The in-memory task store: the queue, the task records and the retained results of one
//! process, behind one lock.
//!
//! Work under the lock is counted ([`LockWork`]): every step (a task looked at, taken, ended or
//! released) and every byte copied or released while the lock is held. A query of a finished
//! task takes a constant number of steps and copies nothing; expiry takes a few steps per task
//! released, whatever the results' sizes, and the results themselves are released after the lock
//! is let go.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;

use super::envelope::Envelope;
use super::store::{Claim, Found, Job, Store, StoreStats};
use super::{Limits, TaskKey, TaskStatus, TaskType, Tenant};
use crate::{ApiError, Clock};

/// Counts of the work done while holding the store's lock, since it was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LockWork {
    /// Steps: a task looked at, queued, taken, ended, or released.
    pub(crate) steps: u64,
    /// Bytes copied or released while holding the lock.
    pub(crate) bytes: u64,
}

/// A task as the store keeps it.
struct Task {
    tenant: Arc<Tenant>,
    task_type: TaskType,
    status: TaskStatus,
    /// The result once ended.
    result: Option<Envelope>,
    /// When it ended, and its place in the order of ending.
    finished: Option<(DateTime<Utc>, u64)>,
}

/// What one tenant's retained results hold.
#[derive(Default)]
struct Usage {
    /// Its finished tasks' places in the order of ending, oldest first.
    seqs: VecDeque<u64>,
    bytes: usize,
}

/// The finished tasks kept, in the order they ended, with what each tenant holds.
#[derive(Default)]
struct Retained {
    /// Place in the order of ending → task.
    order: BTreeMap<u64, TaskKey>,
    tenants: IndexMap<Arc<Tenant>, Usage>,
    /// Tenants by the number of results they hold, and by their bytes.
    by_count: BTreeSet<(usize, Arc<Tenant>)>,
    by_bytes: BTreeSet<(usize, Arc<Tenant>)>,
    next_seq: u64,
    bytes: usize,
}

impl Retained {
    /// Records that `tenant`'s usage changes by `f`, keeping the two orders up to date.
    fn update(&mut self, tenant: &Arc<Tenant>, f: impl FnOnce(&mut Usage)) {
        let usage = self.tenants.entry(Arc::clone(tenant)).or_default();
        self.by_count.remove(&(usage.seqs.len(), Arc::clone(tenant)));
        self.by_bytes.remove(&(usage.bytes, Arc::clone(tenant)));
        f(usage);
        if usage.seqs.is_empty() {
            self.tenants.swap_remove(tenant);
        } else {
            self.by_count.insert((usage.seqs.len(), Arc::clone(tenant)));
            self.by_bytes.insert((usage.bytes, Arc::clone(tenant)));
        }
    }

    /// The tenant to lose a result when over `max_count` or `max_bytes`: the one holding the
    /// most of what is over (ties: the greatest tenant, for determinism).
    fn over(&self, max_count: usize, max_bytes: usize) -> Option<Arc<Tenant>> {
        if self.bytes > max_bytes {
            self.by_bytes.last().map(|(_, t)| Arc::clone(t))
        } else if self.order.len() > max_count {
            self.by_count.last().map(|(_, t)| Arc::clone(t))
        } else {
            None
        }
    }
}

/// One tenant's waiting tasks, in submission order, with the bytes their jobs hold.
#[derive(Default)]
struct Waiting {
    jobs: VecDeque<(TaskKey, Job)>,
    bytes: usize,
}

struct State {
    /// Waiting tasks, per tenant; a tenant without waiting tasks has no entry.
    queues: IndexMap<Arc<Tenant>, Waiting>,
    /// Waiting tasks in all.
    queued: usize,
    /// Bytes the waiting tasks' jobs hold in all ([`Job::queued_bytes`]).
    queued_bytes: usize,
    /// The tenant whose task a worker takes next (an index into `queues`).
    turn: usize,
    tasks: IndexMap<TaskKey, Task>,
    retained: Retained,
    accepting: bool,
    work: LockWork,
}

impl State {
    /// The next waiting task, taking the tenants in turn.
    fn next_job(&mut self) -> Option<(Claim, Job)> {
        if self.queues.is_empty() {
            return None;
        }
        let turn = self.turn % self.queues.len();
        let (job, emptied) = {
            let (tenant, queue) = self.queues.get_index_mut(turn)?;
            let job =
                queue.jobs.pop_front().map(|(key, job)| (Claim { key, tenant: Arc::clone(tenant), attempt: 1 }, job));
            let bytes = job.as_ref().map_or(0, |(_, job)| job.queued_bytes());
            queue.bytes -= bytes;
            self.queued_bytes -= bytes;
            (job, queue.jobs.is_empty())
        };
        if emptied {
            // The next tenant moves into this place: its turn comes next.
            self.queues.shift_remove_index(turn);
            self.turn = turn;
        } else {
            self.turn = turn + 1;
        }
        self.queued -= usize::from(job.is_some());
        job
    }
}

/// The in-memory store.
pub(crate) struct Memory {
    state: Mutex<State>,
    /// A task was queued, or the store closed.
    work: Condvar,
    /// A task ended.
    done: Condvar,
    limits: Limits,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory").field("limits", &self.limits).finish_non_exhaustive()
    }
}

impl Memory {
    pub(crate) fn new(limits: Limits, clock: Arc<dyn Clock>) -> Memory {
        Memory {
            state: Mutex::new(State {
                queues: IndexMap::new(),
                queued: 0,
                queued_bytes: 0,
                turn: 0,
                tasks: IndexMap::new(),
                retained: Retained::default(),
                accepting: true,
                work: LockWork::default(),
            }),
            work: Condvar::new(),
            done: Condvar::new(),
            limits,
            clock,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave State inconsistent (every update is a
        // single assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Removes finished tasks past the retention time, oldest first, then, while the retained
    /// results are more than `max_retained` or `max_retained_bytes`, the oldest result of the
    /// tenant holding the most. The results are returned, to be dropped once the lock is let go:
    /// the work under the lock is a few steps per task, whatever the results' sizes.
    #[must_use = "drop the released results after unlocking"]
    fn expire(&self, state: &mut State, now: DateTime<Utc>) -> Vec<Envelope> {
        let retention = chrono::Duration::from_std(self.limits.retention).unwrap_or(chrono::Duration::MAX);
        let mut released = Vec::new();
        loop {
            state.work.steps += 1;
            let Some((_, key)) = state.retained.order.first_key_value() else { break };
            let expired = state.tasks.get(key).and_then(|t| t.finished).is_none_or(|(at, _)| now - at >= retention);
            if !expired {
                break;
            }
            let tenant = state.tasks.get(key).map(|t| Arc::clone(&t.tenant));
            if let Some(tenant) = tenant {
                Self::release_oldest(state, &tenant, &mut released);
            } else {
                state.retained.order.pop_first();
            }
        }
        while let Some(tenant) = state.retained.over(self.limits.max_retained, self.limits.max_retained_bytes) {
            state.work.steps += 1;
            Self::release_oldest(state, &tenant, &mut released);
        }
        released
    }

    /// Releases `tenant`'s oldest retained result.
    fn release_oldest(state: &mut State, tenant: &Arc<Tenant>, released: &mut Vec<Envelope>) {
        state.work.steps += 1;
        let Some(seq) = state.retained.tenants.get(tenant).and_then(|u| u.seqs.front().copied()) else {
            return;
        };
        let key = state.retained.order.remove(&seq);
        let result = key.and_then(|key| state.tasks.swap_remove(&key)).and_then(|task| task.result);
        let bytes = result.as_ref().map_or(0, Envelope::len);
        state.retained.bytes -= bytes;
        state.retained.update(tenant, |usage| {
            usage.seqs.pop_front();
            usage.bytes -= bytes;
        });
        released.extend(result);
    }
}

impl Store for Memory {
    fn submit(
        &self,
        tenant: &Tenant,
        keys: &mut dyn FnMut() -> Result<TaskKey, ApiError>,
        job: Job,
    ) -> Result<TaskKey, ApiError> {
        let mut state = self.lock();
        state.work.steps += 1;
        if !state.accepting {
            return Err(ApiError::system_error());
        }
        let (waiting, waiting_bytes) = state.queues.get(tenant).map_or((0, 0), |q| (q.jobs.len(), q.bytes));
        if state.queued >= self.limits.queue_capacity || waiting >= self.limits.tenant_share {
            return Err(ApiError::throttled());
        }
        let bytes = job.queued_bytes();
        let over = |held: usize, max: usize| held.checked_add(bytes).is_none_or(|held| held > max);
        if bytes > 0
            && (over(state.queued_bytes, self.limits.max_queued_bytes)
                || over(waiting_bytes, self.limits.tenant_queued_bytes))
        {
            return Err(ApiError::throttled_bytes(self.limits.max_queued_bytes, self.limits.tenant_queued_bytes));
        }
        let mut fresh = None;
        for _ in 0..8 {
            let key = keys()?;
            state.work.steps += 1;
            if !state.tasks.contains_key(&key) {
                fresh = Some(key);
                break;
            }
        }
        let key = fresh.ok_or_else(ApiError::system_error)?;
        let tenant = match state.queues.get_key_value(tenant) {
            Some((shared, _)) => Arc::clone(shared),
            None => {
                state.work.bytes += (tenant.project_id().len() + tenant.instance_id().len()) as u64;
                Arc::new(tenant.clone())
            }
        };
        state.tasks.insert(
            key,
            Task {
                tenant: Arc::clone(&tenant),
                task_type: job.task_type(),
                status: TaskStatus::Waiting,
                result: None,
                finished: None,
            },
        );
        let queue = state.queues.entry(tenant).or_default();
        queue.jobs.push_back((key, job));
        queue.bytes += bytes;
        state.queued += 1;
        state.queued_bytes += bytes;
        drop(state);
        self.work.notify_one();
        Ok(key)
    }

    fn next(&self, taken: &mut dyn FnMut(&Claim)) -> Option<(Claim, Job)> {
        let mut state = self.lock();
        loop {
            state.work.steps += 1;
            if let Some((claim, job)) = state.next_job() {
                if let Some(task) = state.tasks.get_mut(&claim.key) {
                    task.status = TaskStatus::Processing;
                }
                taken(&claim);
                return Some((claim, job));
            }
            if !state.accepting {
                return None;
            }
            state = self.work.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    fn finish(&self, claim: &Claim, status: TaskStatus, result: Envelope) -> bool {
        let now = self.clock.now();
        let mut guard = self.lock();
        guard.work.steps += 1;
        let state = &mut *guard;
        let seq = state.retained.next_seq;
        let ended = match state.tasks.get_mut(&claim.key).filter(|t| !t.status.is_terminal()) {
            Some(task) => {
                let bytes = result.len();
                task.status = status;
                task.result = Some(result);
                task.finished = Some((now, seq));
                let tenant = Arc::clone(&task.tenant);
                state.retained.next_seq += 1;
                state.retained.order.insert(seq, claim.key);
                state.retained.bytes += bytes;
                state.retained.update(&tenant, |usage| {
                    usage.seqs.push_back(seq);
                    usage.bytes += bytes;
                });
                true
            }
            None => false,
        };
        let released = self.expire(state, now);
        drop(guard);
        self.done.notify_all();
        drop(released);
        ended
    }

    fn give_back(&self, claim: &Claim) {
        self.finish(claim, TaskStatus::Failed, Envelope::of_text(&ApiError::system_error().to_json()));
    }

    fn close(&self) {
        self.lock().accepting = false;
        self.work.notify_all();
    }

    fn take_queued(&self) -> Vec<Claim> {
        let mut state = self.lock();
        state.queued = 0;
        state.queued_bytes = 0;
        let claims: Vec<Claim> = std::mem::take(&mut state.queues)
            .into_iter()
            .flat_map(|(tenant, queue)| {
                queue.jobs.into_iter().map(move |(key, _)| Claim { key, tenant: Arc::clone(&tenant), attempt: 1 })
            })
            .collect();
        state.work.steps += claims.len() as u64;
        claims
    }

    fn query(&self, tenant: &Tenant, key: TaskKey) -> Result<Option<Found>, ApiError> {
        let mut state = self.lock();
        let released = self.expire(&mut state, self.clock.now());
        state.work.steps += 1;
        let found = state
            .tasks
            .get(&key)
            .filter(|task| *task.tenant == *tenant)
            .map(|task| (task.task_type, task.status, task.result.clone()));
        drop(state);
        drop(released);
        Ok(found)
    }

    fn wait(&self, tenant: &Tenant, key: TaskKey, timeout: Duration) -> bool {
        let state = self.lock();
        let ended = |state: &mut State| {
            state.work.steps += 1;
            state.tasks.get(&key).is_none_or(|t| *t.tenant != *tenant || t.status.is_terminal())
        };
        let (mut state, _) = self
            .done
            .wait_timeout_while(state, timeout, |state| !ended(state))
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        ended(&mut state)
    }

    fn wait_until(&self, timeout: Duration, stop: &dyn Fn() -> bool) -> bool {
        let state = self.lock();
        let (_state, waited) = self
            .done
            .wait_timeout_while(state, timeout, |_| !stop())
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        !waited.timed_out() || stop()
    }

    fn wake(&self) {
        drop(self.lock());
        self.done.notify_all();
    }

    fn stats(&self) -> StoreStats {
        let state = self.lock();
        StoreStats {
            queued: state.queued,
            known: state.tasks.len(),
            retained_bytes: state.retained.bytes,
            lock_steps: state.work.steps,
            lock_bytes: state.work.bytes,
        }
    }
}
