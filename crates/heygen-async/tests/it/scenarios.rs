//! The shared scenario table, run against the async client.

use std::convert::Infallible;

use futures_util::StreamExt as _;
use heygen_async::core::Workflow;
use heygen_async::{Client, Error};
use heygen_scenarios::ScenarioClient;

/// The async client behind the blocking scenario interface, on a runtime of its own.
struct Async {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl ScenarioClient for Async {
    fn run<W>(&mut self, workflow: W) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send + 'static,
        W::Output: Send + 'static,
    {
        self.runtime.block_on(self.client.run(workflow))
    }

    fn items<W>(&mut self, walk: W) -> Vec<Result<W::Item, Error>>
    where
        W: Workflow<Output = ()> + Send + 'static,
        W::Item: Send + 'static,
    {
        self.runtime.block_on(self.client.items(walk).collect())
    }
}

#[test]
fn scenario_table_passes_on_the_async_client() {
    let filter = std::env::var(heygen_scenarios::FILTER_ENV).ok();
    let report = heygen_scenarios::run_all(filter.as_deref(), |config| Async {
        runtime: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
        client: Client::new(config).unwrap(),
    })
    .unwrap();
    println!("{report}");
    assert!(!report.results.is_empty());
    assert!(report.all_passed(), "failed: {:?}", report.failures());
}
