//! The shared scenario table, run against the blocking client.

use std::convert::Infallible;

use heygen_blocking::Client;
use heygen_blocking::core::{Error, Workflow};
use heygen_scenarios::ScenarioClient;

/// The blocking client behind the scenario table.
struct Blocking(Client);

impl ScenarioClient for Blocking {
    fn run<W>(&mut self, workflow: W) -> Result<W::Output, Error>
    where
        W: Workflow<Item = Infallible> + Send + 'static,
        W::Output: Send + 'static,
    {
        self.0.run(workflow)
    }

    fn items<W>(&mut self, walk: W) -> Vec<Result<W::Item, Error>>
    where
        W: Workflow<Output = ()> + Send + 'static,
        W::Item: Send + 'static,
    {
        self.0.items(walk).collect()
    }
}

#[test]
fn scenario_table_passes_on_the_blocking_client() {
    let filter = std::env::var(heygen_scenarios::FILTER_ENV).ok();
    let report = heygen_scenarios::run_all(filter.as_deref(), |config| {
        Blocking(Client::new(config).expect("client"))
    })
    .expect("emulator");
    println!("{report}");
    assert!(!report.results.is_empty());
    assert!(
        report.all_passed(),
        "failed scenarios: {:?}",
        report.failures()
    );
}
