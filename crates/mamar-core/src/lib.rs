//! The mamar domain: organisation, staff, roles, questionnaire, cases. No I/O.
