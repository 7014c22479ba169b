//! The current user: `GET /v3/users/me`.

use serde::{Deserialize, Serialize};

use crate::enums::{BillingType, Currency, Plan};

/// `GET /v3/users/me` response (inside `data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct User {
    /// Username; `None` when the server sends `null` or leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// How the account is billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_type: Option<BillingType>,
    /// Subscription details, for subscription billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription: Option<Subscription>,
    /// Wallet details, for wallet billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet: Option<Wallet>,
    /// Usage details, for usage-based billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_based: Option<UsageBased>,
}

/// A subscription plan and its credits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Subscription {
    /// The plan.
    pub plan: Plan,
    /// Credit balances.
    #[serde(default, deserialize_with = "crate::avatar::null_as_default")]
    pub credits: Credits,
}

/// Credit balances of a subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Credits {
    /// Premium credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premium_credits: Option<CreditBalance>,
    /// Add-on credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_on_credits: Option<CreditBalance>,
}

/// One credit balance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct CreditBalance {
    /// Credits left.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub remaining: Option<i64>,
    /// When the balance resets, as sent by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resets_at: Option<String>,
}

/// A prepaid wallet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Wallet {
    /// Currency of the balance.
    pub currency: Currency,
    /// Balance left.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub remaining_balance: Option<f64>,
    /// Automatic top-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_reload: Option<AutoReload>,
}

/// Automatic wallet top-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct AutoReload {
    /// Whether top-up is on.
    pub enabled: bool,
    /// Amount added each time, in US dollars.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub amount_usd: Option<f64>,
    /// Balance that triggers a top-up, in US dollars.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub threshold_usd: Option<f64>,
}

/// Usage-based billing figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct UsageBased {
    /// Credits included in the plan.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub included_credits: Option<f64>,
    /// Credits left.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub remaining_credits: Option<f64>,
    /// Spending cap in US dollars.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub spending_cap_usd: Option<f64>,
    /// Spending so far in US dollars.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::num::opt_number"
    )]
    pub spending_current_usd: Option<f64>,
}
