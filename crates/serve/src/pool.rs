//! A small pool of DuckDB connections.
//!
//! A DuckDB connection is `Send` but not `Sync`, and queries on one connection run
//! one at a time. The server opens the database once and clones the connection a
//! few times ([`Store::try_clone`]: all clones share one database instance, its
//! buffer cache and its MVCC, so readers see an ingest's commits). A request
//! borrows a connection for the duration of one blocking call and returns it.
//! The pool size is also the server's concurrency limit for database work.

use dyad_store::Store;
use std::sync::{Condvar, Mutex, PoisonError};

pub struct StorePool {
    idle: Mutex<Vec<Store>>,
    returned: Condvar,
    size: usize,
}

impl StorePool {
    /// A pool of `size` connections (at least 1) to the database of `store`.
    pub fn new(store: Store, size: usize) -> dyad_store::Result<StorePool> {
        let size = size.max(1);
        let mut idle = Vec::with_capacity(size);
        for _ in 1..size {
            idle.push(store.try_clone()?);
        }
        idle.push(store);
        Ok(StorePool {
            idle: Mutex::new(idle),
            returned: Condvar::new(),
            size,
        })
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `f` with a connection, waiting for one to be free. Blocking: call it
    /// from a blocking thread. The connection goes back even if `f` panics.
    pub fn with<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        let store = {
            let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if let Some(s) = idle.pop() {
                    break s;
                }
                idle = self
                    .returned
                    .wait(idle)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        struct Return<'a> {
            pool: &'a StorePool,
            store: Option<Store>,
        }
        impl Drop for Return<'_> {
            fn drop(&mut self) {
                if let Some(s) = self.store.take() {
                    self.pool
                        .idle
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(s);
                    self.pool.returned.notify_one();
                }
            }
        }
        let mut guard = Return {
            pool: self,
            store: Some(store),
        };
        f(guard.store.as_mut().expect("set above"))
    }
}
