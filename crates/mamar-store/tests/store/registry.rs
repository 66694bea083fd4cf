//! The registry's release log and privacy budget: a period never spends past
//! its limit, not even with releases made at once.

use std::sync::Arc;

use mamar_store::{NewRelease, PeriodBudget, Store};

fn release(number: u32, period: &str, epsilon_micro: u64) -> NewRelease {
    NewRelease {
        number,
        period: period.into(),
        limit_micro: 2_000_000,
        published_on: "2026-12-05".into(),
        epsilon_micro,
        signed_csv: format!("# mamar-signed-release v1\nrelease {number}\n"),
        signed_json: format!("{{\"number\": {number}}}"),
    }
}

pub async fn releases_are_logged_and_a_period_is_never_overspent(store: &dyn Store) {
    assert_eq!(store.next_release_number().await.unwrap(), 1);
    assert!(
        store
            .add_release(&release(1, "2026-Q4", 1_500_000))
            .await
            .unwrap()
    );
    // 1.5 + 0.6 > 2: refused, nothing recorded, nothing spent.
    assert!(!store.add_release(&release(2, "2026-Q4", 600_000)).await.unwrap());
    assert_eq!(store.next_release_number().await.unwrap(), 2);
    assert_eq!(
        store.period_budget("2026-Q4").await.unwrap(),
        Some(PeriodBudget {
            limit_micro: 2_000_000,
            spent_micro: 1_500_000
        })
    );
    // Exactly what is left is allowed; another period has its own budget.
    assert!(store.add_release(&release(2, "2026-Q4", 500_000)).await.unwrap());
    assert!(
        store
            .add_release(&release(3, "2027-Q1", 2_000_000))
            .await
            .unwrap()
    );
    assert!(!store.add_release(&release(4, "2026-Q4", 1)).await.unwrap());
    // A number taken is a conflict, and charges nothing.
    assert!(matches!(
        store.add_release(&release(3, "2027-Q2", 1)).await,
        Err(mamar_store::StoreError::Conflict)
    ));
    assert_eq!(store.period_budget("2027-Q2").await.unwrap(), None);

    let all = store.releases().await.unwrap();
    assert_eq!(all.iter().map(|r| r.number).collect::<Vec<_>>(), [3, 2, 1]);
    let one = store.release(2).await.unwrap().unwrap();
    assert_eq!(one.signed_csv, "# mamar-signed-release v1\nrelease 2\n");
    assert_eq!(one.epsilon_micro, 500_000);
    assert!(store.release(9).await.unwrap().is_none());
}

/// Twenty releases of 0.3 at once against a limit of 2: six at most get
/// through, whatever the interleaving.
pub async fn releases_made_at_once_cannot_overspend(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (1..=20u32)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.add_release(&release(n, "2026-12", 300_000)).await })
        })
        .collect();
    let mut accepted = 0;
    for task in tasks {
        if let Ok(true) = task.await.unwrap() {
            accepted += 1;
        }
    }
    let budget = store.period_budget("2026-12").await.unwrap().unwrap();
    assert_eq!(budget.spent_micro, accepted * 300_000);
    assert!(budget.spent_micro <= budget.limit_micro);
    assert_eq!(accepted, 6);
    assert_eq!(store.releases().await.unwrap().len() as u64, accepted);
}
