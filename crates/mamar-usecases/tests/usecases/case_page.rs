//! A case's page and the forms on it are for the people on the case only; an
//! administrator off a frozen case asks to unfreeze it by its number alone.

use mamar_core::case::CaseReference;
use mamar_usecases::{CaseError, cases};

use crate::walk::{frozen_case, staffed_case};
use crate::world::{NOW, World};

pub async fn a_case_page_and_its_forms_are_only_for_the_people_on_it(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let page = cases::case_page(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    assert_eq!(page.view.id, case);
    assert_eq!(
        crate::world::usernames(&page.staff),
        [
            "admin",
            "analyst",
            "coordinator",
            "intake",
            "receiver",
            "vetter",
            "vetter2"
        ],
        "every account, to name the team and offer whom to add"
    );
    assert!(page.partners.is_empty(), "no partner is named in the timeline");
    assert!(page.export.is_none(), "no export was granted");
    cases::ensure_on_case(s, &w.coordinator.caller(), &case)
        .await
        .unwrap();
    cases::ensure_on_case(s, &w.vetter.caller(), &case).await.unwrap();

    for off in [&w.analyst, &w.admin, &w.other_vetter, &w.receiver] {
        assert!(matches!(
            cases::case_page(s, &w.config, &off.caller(), &case, NOW).await,
            Err(CaseError::NotFound)
        ));
        assert!(matches!(
            cases::ensure_on_case(s, &off.caller(), &case).await,
            Err(CaseError::NotFound)
        ));
    }
    assert!(matches!(
        cases::ensure_on_case(s, &w.coordinator.caller(), &[0; 16]).await,
        Err(CaseError::NotFound)
    ));
}

pub async fn an_administrator_asks_to_unfreeze_a_case_by_its_reference(w: &World) {
    let s = w.store.as_ref();
    let case = frozen_case(w).await;
    let stored = s.case_file(&case).await.unwrap().unwrap().reference.unwrap();
    let reference = CaseReference::parse(&stored).unwrap();
    // Another nine digits: no case has them (there is one case).
    let other: u32 = stored.parse::<u32>().unwrap() ^ 1;
    let unknown = CaseReference::parse(&format!("{other:09}")).unwrap();
    assert!(matches!(
        cases::request_unfreeze_for_reference(s, &w.config, &w.admin.caller(), &unknown, NOW).await,
        Err(CaseError::NotFound)
    ));
    cases::request_unfreeze_for_reference(s, &w.config, &w.admin.caller(), &reference, NOW)
        .await
        .unwrap();
    let pending = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap()
        .pending;
    assert_eq!(
        pending.iter().filter(|p| p.kind == "unfreeze").count(),
        1,
        "the team sees the request to agree to"
    );
}
