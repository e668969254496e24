//! A small pacer that keeps a group of calls under an account quota such as API Gateway's
//! `GetResources` limit of 5 requests per 2 seconds.
//!
//! The pacer is shared by every task that makes the call: each waits for a permit before it
//! sends. It is a sliding window: at most `limit` permits are handed out in any `window`.
//! Waiters are served in the order they asked (tokio's mutex is fair).

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Hands out at most `limit` permits per `window`.
#[derive(Debug)]
pub struct Pacer {
    limit: usize,
    window: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl Pacer {
    /// A pacer allowing `limit` calls in any `window` (a `limit` of 0 is taken as 1).
    pub fn new(limit: usize, window: Duration) -> Self {
        let limit = limit.max(1);
        Self {
            limit,
            window,
            sent: Mutex::new(VecDeque::with_capacity(limit.min(64))),
        }
    }

    /// API Gateway's per-account quota on `GetResources`: 5 requests per 2 seconds.
    pub fn get_resources() -> Self {
        Self::new(5, Duration::from_secs(2))
    }

    /// Waits until one more call fits in the window, then records it.
    pub async fn acquire(&self) {
        let mut sent = self.sent.lock().await;
        if sent.len() >= self.limit {
            // The oldest of the last `limit` calls leaves the window at `oldest + window`.
            let oldest = sent[sent.len() - self.limit];
            tokio::time::sleep_until(oldest + self.window).await;
        }
        let now = Instant::now();
        while sent.front().is_some_and(|t| *t + self.window <= now) {
            sent.pop_front();
        }
        sent.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_first_calls_up_to_the_limit_do_not_wait() {
        let pacer = Pacer::new(5, Duration::from_secs(2));
        let start = Instant::now();
        for _ in 0..5 {
            pacer.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn the_sixth_call_waits_for_the_window() {
        let pacer = Pacer::get_resources();
        let start = Instant::now();
        for _ in 0..6 {
            pacer.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn twelve_calls_take_two_full_windows() {
        let pacer = Pacer::get_resources();
        let start = Instant::now();
        let mut at = Vec::new();
        for _ in 0..12 {
            pacer.acquire().await;
            at.push(start.elapsed().as_secs());
        }
        assert_eq!(at, [0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 4, 4]);
    }

    #[tokio::test(start_paused = true)]
    async fn spread_out_calls_never_wait() {
        let pacer = Pacer::get_resources();
        let start = Instant::now();
        for i in 0..10u64 {
            tokio::time::sleep_until(start + Duration::from_millis(400 * i)).await;
            pacer.acquire().await;
            assert_eq!(start.elapsed(), Duration::from_millis(400 * i));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_tasks_share_the_quota() {
        let pacer = Arc::new(Pacer::get_resources());
        let start = Instant::now();
        let tasks: Vec<_> = (0..15)
            .map(|_| {
                let pacer = Arc::clone(&pacer);
                tokio::spawn(async move {
                    pacer.acquire().await;
                    start.elapsed()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        // No 2-second window ever holds more than 5 calls.
        for (i, t) in times.iter().enumerate().skip(5) {
            assert!(*t >= times[i - 5] + Duration::from_secs(2), "{times:?}");
        }
        assert_eq!(*times.last().unwrap(), Duration::from_secs(4));
    }
}
