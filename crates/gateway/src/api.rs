//! The JSON API: request and answer models (public, for clients in Rust), and one handler per
//! check.
//!
//! Every check goes the same way (`Ctx::run`): tenant and key, allowed check, purpose, rate
//! limit, body, offline refusals (422, free), cache, budget reservation, the vendor call,
//! settlement, cache, audit, metrics. The part after the reservation runs in a task of its
//! own, so a client that hangs up or a request timeout can never leave money unaccounted.

use crate::audit::AuditLine;
use crate::backend::{Admission, Ask, Remembered, Spend, Subject};
use crate::config::Check;
use crate::money::Units;
use crate::precheck::{self, Reasons};
use crate::problem::Problem;
use crate::state::AppState;
use crate::telemetry;
use crate::tenants::{Tenant, bearer};
use crate::time;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shiming::{StatusAnswer, TwoElementAnswer, Vendor, Verdict, vendors};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, ToSchema};

/// Longest accepted `Purpose` header, in bytes.
const MAX_PURPOSE_BYTES: usize = 256;

/// `POST /v1/mobile/two-elements`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MobileTwoElementsRequest {
    /// The person's name, e.g. `张三`.
    pub name: String,
    /// A mainland mobile number; `+86`, spaces and dashes are accepted.
    pub mobile: String,
    /// Which vendor: `auto` (the failover chain, default), `wapi` or `qxt`.
    #[serde(default)]
    pub vendor: Option<VendorChoice>,
}

/// The mobile check's vendor choice: `auto`, or the name of a vendor offering the check
/// ([`shiming::vendors::offering`]). The OpenAPI document lists the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorChoice {
    /// The failover chain, among the vendors configured.
    Auto,
    /// This vendor only.
    One(Vendor),
}

impl VendorChoice {
    /// Every name the field accepts: `auto`, then the vendors offering the check.
    fn names() -> Vec<&'static str> {
        std::iter::once("auto")
            .chain(
                vendors::offering(shiming::Check::MobileTwoElements)
                    .into_iter()
                    .map(Vendor::as_str),
            )
            .collect()
    }
}

impl<'de> Deserialize<'de> for VendorChoice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        if name == "auto" {
            return Ok(VendorChoice::Auto);
        }
        vendors::named(&name)
            .filter(|vendor| vendors::offers(*vendor, shiming::Check::MobileTwoElements))
            .map(VendorChoice::One)
            .ok_or_else(|| {
                serde::de::Error::invalid_value(
                    serde::de::Unexpected::Str(&name),
                    &VendorChoice::names().join(", ").as_str(),
                )
            })
    }
}

impl utoipa::PartialSchema for VendorChoice {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(VendorChoice::names()))
            .description(Some("The mobile check's vendor choice."))
            .into()
    }
}

impl ToSchema for VendorChoice {}

/// `POST /v1/idcard/two-elements`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdTwoElementsRequest {
    /// The person's name.
    pub name: String,
    /// An 18-digit ID number (last character a digit or X).
    pub id_number: String,
}

/// `POST /v1/mobile/status`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MobileStatusRequest {
    /// A mainland mobile number.
    pub mobile: String,
}

/// `GET /v1/balance` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BalanceQuery {
    /// The vendor whose balance to read; only `ihuyi` reports one.
    pub vendor: Option<String>,
}

/// Every successful answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Answer {
    /// `match`, `mismatch`, `not_found` (two-element checks); `found`, `not_found` (status);
    /// `ok` (balance).
    pub verdict: String,
    /// The vendor that answered (for a cached answer: the one that originally did).
    pub vendor: String,
    /// The vendor's raw code.
    pub code: String,
    /// Whether this request was charged (a cached answer never is).
    pub billed: bool,
    /// Served from the verdict cache, without a vendor call.
    pub cached: bool,
    /// When the vendor answered, RFC 3339 UTC.
    pub checked_at: String,
    /// This request's id (also in the audit trail and `X-Request-Id`).
    pub request_id: String,
    /// True when the gateway runs against the sandbox: the answer is made up.
    pub sandbox: bool,
    /// Carrier, area, tenure, remaining balance…: never the name, number or ID number.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// What one request carries from start to end.
pub(crate) struct Ctx {
    state: Arc<AppState>,
    tenant: Option<Arc<Tenant>>,
    purpose: Option<String>,
    check: Check,
    request_id: String,
    started: Instant,
}

impl Ctx {
    /// Key, check, purpose and rate limit; a problem (already audited) when refused.
    pub(crate) async fn begin(
        state: &Arc<AppState>,
        headers: &HeaderMap,
        check: Check,
    ) -> Result<Ctx, Response> {
        let mut ctx = Ctx {
            state: Arc::clone(state),
            tenant: None,
            purpose: None,
            check,
            request_id: request_id(),
            started: Instant::now(),
        };
        let key = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer);
        let Some(tenant) = key.and_then(|key| state.tenants().authenticate(key)) else {
            let problem = Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send Authorization: Bearer <your API key>",
            );
            let mut response = ctx.fail(problem, None);
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Err(response);
        };
        ctx.tenant = Some(Arc::clone(&tenant));
        match headers
            .get("purpose")
            .map(|v| std::str::from_utf8(v.as_bytes()))
        {
            Some(Ok(purpose)) if !purpose.trim().is_empty() => {
                if purpose.len() > MAX_PURPOSE_BYTES {
                    return Err(ctx.fail(
                        Problem::new(
                            StatusCode::BAD_REQUEST,
                            "bad_request",
                            format!("the Purpose header is longer than {MAX_PURPOSE_BYTES} bytes"),
                        ),
                        None,
                    ));
                }
                ctx.purpose = Some(purpose.trim().to_string());
            }
            Some(Err(_)) => {
                return Err(ctx.fail(
                    Problem::new(
                        StatusCode::BAD_REQUEST,
                        "bad_request",
                        "the Purpose header is not UTF-8",
                    ),
                    None,
                ));
            }
            _ => {}
        }
        if !tenant.checks.contains(&check) {
            return Err(ctx.fail(
                Problem::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    format!("tenant {} may not run the {check} check", tenant.name),
                ),
                None,
            ));
        }
        if tenant.require_purpose && ctx.purpose.is_none() {
            return Err(ctx.fail(
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "purpose_required",
                    "this tenant must state why it processes personal data: send a Purpose header (PIPL)",
                ),
                None,
            ));
        }
        match state.backend.admit(&tenant.name, tenant.qps).await {
            Ok(Admission::Admitted) => Ok(ctx),
            Ok(Admission::RetryAfter(wait)) => Err(ctx.fail(
                Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    format!("over {} requests per second", tenant.qps),
                )
                .retry_after(wait),
                None,
            )),
            Err(error) => Err(ctx.fail(store_problem(&error), None)),
        }
    }

    /// Ends the request with a problem: audit, metrics, response.
    pub(crate) fn fail(&self, problem: Problem, subject: Option<&Subject>) -> Response {
        self.fail_costing(problem, subject, Units(0))
    }

    /// Like [`fail`](Self::fail), for a failed call that may have been billed `cost`.
    fn fail_costing(
        &self,
        mut problem: Problem,
        subject: Option<&Subject>,
        cost: Units,
    ) -> Response {
        problem.request_id = self.request_id.clone();
        problem.sandbox = self.state.sandbox;
        telemetry::error(&problem.kind);
        self.finish(
            problem.status,
            &problem.kind,
            None,
            problem.vendor.as_deref(),
            subject,
            problem.billed,
            cost,
            false,
        );
        problem.into_response()
    }

    /// Audit line, metrics and status-page counters for the end of a request.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        status: u16,
        outcome: &str,
        verdict: Option<&str>,
        vendor: Option<&str>,
        subject: Option<&Subject>,
        billed: bool,
        cost: Units,
        cached: bool,
    ) {
        let tenant = self.tenant.as_ref().map(|t| t.name.as_str());
        telemetry::request(tenant.unwrap_or("-"), self.check.as_str(), outcome);
        let now = time::unix_now();
        if let Some(tenant) = tenant {
            self.state
                .today
                .request(&time::utc_day(now), tenant, status >= 400, cost);
        }
        self.state.audit.write(&AuditLine {
            time: time::rfc3339(now),
            request_id: &self.request_id,
            tenant,
            purpose: self.purpose.as_deref(),
            check: self.check.as_str(),
            subject: subject.map(crate::backend::masked),
            status,
            outcome,
            verdict,
            vendor,
            billed,
            cost: cost.yuan(),
            cached,
            sandbox: self.state.sandbox,
        });
        tracing::info!(
            request_id = %self.request_id,
            tenant = tenant.unwrap_or("-"),
            check = self.check.as_str(),
            subject = subject.map(crate::backend::masked).unwrap_or_default(),
            status,
            outcome,
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            "request"
        );
    }

    /// Cache, budget, vendor call, settlement — in its own task (see the module docs).
    async fn run(self, subject: Subject, call: Call) -> Response {
        // A cache hit costs nothing and is answered here; only a vendor call moves to a task.
        if call.cacheable() {
            let day = time::utc_day(time::unix_now());
            let check = self.check.as_str();
            match self.state.backend.lookup(&subject).await {
                Ok(Some(remembered)) => {
                    telemetry::cache(check, true);
                    self.state.today.cache(&day, true);
                    return self.answer(Some(&subject), answer_from_cache(remembered), Units(0));
                }
                Ok(None) => {
                    telemetry::cache(check, false);
                    self.state.today.cache(&day, false);
                }
                // An unreadable cache must not stop the service: log it and call the vendor.
                Err(error) => tracing::warn!(%error, "cache lookup failed"),
            }
        }
        let task = tokio::spawn(self.run_inner(subject, call));
        match task.await {
            Ok(response) => response,
            Err(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the check failed",
            )
            .into_response(),
        }
    }

    /// Budget, vendor call, settlement, cache, audit: never cancelled half-way.
    async fn run_inner(self, subject: Subject, call: Call) -> Response {
        let state = Arc::clone(&self.state);
        let day = time::utc_day(time::unix_now());
        let check = self.check.as_str();
        let Some(tenant) = self.tenant.clone() else {
            return self.fail(
                Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", "no tenant"),
                Some(&subject),
            );
        };
        let price = state.prices.to_reserve(self.check, &call.vendors(&state));
        let reservation = if price > Units(0) {
            match state
                .backend
                .reserve(Ask {
                    tenant: &tenant.name,
                    day: &day,
                    cap: tenant.daily_budget,
                    amount: price,
                })
                .await
            {
                Ok(Some(reservation)) => Some(reservation),
                Ok(None) => {
                    return self.fail(
                        Problem::new(
                            StatusCode::PAYMENT_REQUIRED,
                            "budget_exhausted",
                            format!(
                                "tenant {} has spent its daily budget of {} yuan (resets at 00:00 UTC)",
                                tenant.name,
                                tenant.daily_budget.yuan()
                            ),
                        ),
                        Some(&subject),
                    );
                }
                Err(error) => return self.fail(store_problem(&error), Some(&subject)),
            }
        } else {
            None
        };

        let started = Instant::now();
        let result = call.send(&state).await;
        let elapsed = started.elapsed();

        let (vendor, billed, spent) = match &result {
            Ok(done) => {
                let cost = if done.billed {
                    state.prices.of(self.check, done.vendor)
                } else {
                    Units(0)
                };
                (Some(done.vendor), done.billed, cost)
            }
            Err(error) => {
                let possibly = error.may_have_been_billed();
                // A possibly-billed failure keeps its whole reservation: budgets err on the
                // side of the tenant's cap, never the vendor's invoice.
                let cost = if possibly {
                    reservation.as_ref().map(|r| r.amount).unwrap_or_default()
                } else {
                    Units(0)
                };
                (error.vendor(), possibly, cost)
            }
        };
        if let Some(vendor) = vendor {
            let name = vendor.as_str();
            telemetry::vendor_latency(name, check, elapsed);
            state
                .today
                .vendor(&day, name, result.is_ok(), billed, spent, elapsed);
            if billed {
                telemetry::billed(name, spent);
            }
        }
        if let Some(reservation) = reservation
            && let Err(error) = state.backend.settle(reservation, spent).await
        {
            tracing::error!(%error, "budget settlement failed; the reservation stays counted");
        }
        if billed && let Some(vendor) = vendor {
            let spend = Spend {
                vendor,
                check: self.check,
                price: spent,
                certain: result.is_ok(),
            };
            if let Err(error) = state.backend.record_spend(spend).await {
                tracing::error!(%error, "cannot record the spend");
            }
        }
        match result {
            Ok(done) => {
                if done.cacheable
                    && let Some(ttl) = call.ttl(&state)
                {
                    let remembered = Remembered {
                        verdict: done.verdict.clone(),
                        vendor: done.vendor.as_str().to_string(),
                        code: done.code.clone(),
                        checked_at: done.checked_at,
                        details: done.details.clone(),
                    };
                    if let Err(error) = state.backend.remember(&subject, &remembered, ttl).await {
                        tracing::warn!(%error, "cannot cache the answer");
                    }
                }
                let answer = Answer {
                    verdict: done.verdict,
                    vendor: done.vendor.as_str().to_string(),
                    code: done.code,
                    billed: done.billed,
                    cached: false,
                    checked_at: time::rfc3339(done.checked_at),
                    request_id: String::new(),
                    sandbox: false,
                    details: done.details,
                };
                self.answer(Some(&subject), answer, spent)
            }
            Err(error) => {
                let mut problem = Problem::from_error(&error);
                if matches!(
                    error.kind(),
                    shiming::ErrorKind::Vendor(shiming::Kind::RateLimited)
                ) {
                    problem = problem.retry_after(Duration::from_secs(60));
                }
                // A possibly-billed failure's cost stays in the tenant's budget (settled
                // above), the billed metrics and the audit line.
                self.fail_costing(problem, Some(&subject), spent)
            }
        }
    }

    fn answer(&self, subject: Option<&Subject>, mut answer: Answer, cost: Units) -> Response {
        answer.request_id = self.request_id.clone();
        answer.sandbox = self.state.sandbox;
        self.finish(
            200,
            &answer.verdict,
            Some(&answer.verdict),
            Some(&answer.vendor),
            subject,
            answer.billed,
            cost,
            answer.cached,
        );
        let mut response = Json(&answer).into_response();
        if let Ok(value) = HeaderValue::from_str(&self.request_id) {
            response.headers_mut().insert("x-request-id", value);
        }
        response
    }
}

fn store_problem(error: &crate::backend::BackendError) -> Problem {
    tracing::error!(%error, "store unavailable");
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "store_unavailable",
        "the gateway cannot reach its store; nothing was sent to a vendor",
    )
    .retry_after(Duration::from_secs(5))
}

/// A request id: a random per-process prefix and a counter, hex (unique, not secret; one
/// `getrandom` per process instead of one per request).
fn request_id() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let prefix = *PREFIX.get_or_init(|| {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            // No randomness: the start time still tells processes apart.
            bytes = time::unix_now().to_be_bytes();
        }
        u64::from_be_bytes(bytes)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix:016x}{n:016x}")
}

fn answer_from_cache(remembered: Remembered) -> Answer {
    Answer {
        verdict: remembered.verdict,
        vendor: remembered.vendor,
        code: remembered.code,
        billed: false,
        cached: true,
        checked_at: time::rfc3339(remembered.checked_at),
        request_id: String::new(),
        sandbox: false,
        details: remembered.details,
    }
}

/// One vendor call, described.
enum Call {
    Mobile {
        name: String,
        mobile: String,
        vendor: Option<Vendor>,
    },
    Id {
        name: String,
        id_number: String,
    },
    Status {
        mobile: String,
    },
    Balance,
}

/// What a vendor call answered, flattened for JSON.
struct Done {
    verdict: String,
    vendor: Vendor,
    code: String,
    billed: bool,
    checked_at: u64,
    details: serde_json::Value,
    /// Billed and final: worth serving again.
    cacheable: bool,
}

impl Call {
    fn cacheable(&self) -> bool {
        !matches!(self, Call::Balance)
    }

    fn vendors(&self, state: &AppState) -> Vec<Vendor> {
        match self {
            Call::Mobile {
                vendor: Some(v), ..
            } => vec![*v],
            Call::Mobile { vendor: None, .. } => state.mobile_chain.clone(),
            Call::Id { .. } => vendors::offering(shiming::Check::IdTwoElements),
            Call::Status { .. } => vendors::offering(shiming::Check::MobileStatus),
            Call::Balance => vendors::reporting_balance(),
        }
    }

    fn ttl(&self, state: &AppState) -> Option<Duration> {
        let days = match self {
            Call::Mobile { .. } => state.cache_ttl.mobile_days,
            Call::Id { .. } => state.cache_ttl.id_days,
            Call::Status { .. } => state.cache_ttl.status_days,
            Call::Balance => return None,
        };
        (days > 0).then(|| Duration::from_secs(u64::from(days) * 86_400))
    }

    async fn send(&self, state: &AppState) -> Result<Done, shiming::Error> {
        let verifier = &state.verifier;
        let now = time::unix_now();
        match self {
            Call::Mobile {
                name,
                mobile,
                vendor,
            } => {
                let checked = match vendor {
                    Some(v) => verifier.mobile_two_elements_with(*v, name, mobile).await?,
                    None => verifier.mobile_two_elements(name, mobile).await?,
                };
                Ok(two_elements(checked, now))
            }
            Call::Id { name, id_number } => Ok(two_elements(
                verifier.id_two_elements(name, id_number).await?,
                now,
            )),
            Call::Status { mobile } => {
                let checked = verifier.mobile_status(mobile).await?;
                let (verdict, details, found) = match &checked.answer {
                    StatusAnswer::Found(status) => (
                        "found",
                        json!({
                            "operator": status.operator,
                            "operator_real": status.operator_real,
                            "tenure": status.tenure,
                            "ported": status.ported,
                        }),
                        true,
                    ),
                    StatusAnswer::NotFound => ("not_found", json!({}), false),
                };
                Ok(Done {
                    verdict: verdict.into(),
                    vendor: checked.vendor,
                    code: checked.code,
                    billed: checked.billed,
                    checked_at: now,
                    details,
                    cacheable: found && checked.billed,
                })
            }
            Call::Balance => {
                let checked = verifier.balance().await?;
                Ok(Done {
                    verdict: "ok".into(),
                    vendor: checked.vendor,
                    code: checked.code,
                    billed: checked.billed,
                    checked_at: now,
                    details: json!({ "remaining": checked.answer.remaining }),
                    cacheable: false,
                })
            }
        }
    }
}

/// A two-element answer; details keep carrier and area only (the vendor's echo of the name,
/// number and ID, and the birthday, are personal data the caller already has).
fn two_elements(checked: shiming::Checked<TwoElementAnswer>, now: u64) -> Done {
    let answer = &checked.answer;
    let details = json!({
        "carrier": answer.carrier(),
        "area": answer.area(),
        "debug": answer.debug,
    });
    let final_verdict = matches!(answer.verdict, Verdict::Match | Verdict::Mismatch);
    Done {
        verdict: answer.verdict.as_str().to_string(),
        vendor: checked.vendor,
        code: checked.code.clone(),
        billed: checked.billed,
        checked_at: now,
        details,
        cacheable: final_verdict && checked.billed && !answer.debug,
    }
}

/// Mobile number + name.
#[utoipa::path(
    post,
    path = "/v1/mobile/two-elements",
    request_body = MobileTwoElementsRequest,
    params(("Purpose" = Option<String>, Header, description = "Why this check is made (PIPL); required for some tenants")),
    responses(VerdictResponses),
    security(("bearer" = []))
)]
pub(crate) async fn mobile_two_elements(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Json<MobileTwoElementsRequest>, JsonRejection>,
) -> Response {
    checked(&state, &headers, Check::Mobile, body, |request, reasons| {
        let name = reasons.take(precheck::name(&request.name));
        let mobile = reasons.take(precheck::mobile(&request.mobile));
        let vendor = match request.vendor {
            None | Some(VendorChoice::Auto) => None,
            Some(VendorChoice::One(vendor)) => Some(vendor),
        };
        let subject = Subject::MobileTwoElements {
            name: name.clone(),
            mobile: mobile.clone(),
        };
        (
            subject,
            Call::Mobile {
                name,
                mobile,
                vendor,
            },
        )
    })
    .await
}

/// ID number + name.
#[utoipa::path(
    post,
    path = "/v1/idcard/two-elements",
    request_body = IdTwoElementsRequest,
    params(("Purpose" = Option<String>, Header, description = "Why this check is made (PIPL)")),
    responses(VerdictResponses),
    security(("bearer" = []))
)]
pub(crate) async fn id_two_elements(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Json<IdTwoElementsRequest>, JsonRejection>,
) -> Response {
    checked(&state, &headers, Check::Id, body, |request, reasons| {
        let name = reasons.take(precheck::name(&request.name));
        let id_number = reasons.take(precheck::id_number(&request.id_number));
        let subject = Subject::IdTwoElements {
            name: name.clone(),
            id_number: id_number.clone(),
        };
        (subject, Call::Id { name, id_number })
    })
    .await
}

/// Operator status of a mobile number.
#[utoipa::path(
    post,
    path = "/v1/mobile/status",
    request_body = MobileStatusRequest,
    params(("Purpose" = Option<String>, Header, description = "Why this check is made (PIPL)")),
    responses(StatusResponses),
    security(("bearer" = []))
)]
pub(crate) async fn mobile_status(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Json<MobileStatusRequest>, JsonRejection>,
) -> Response {
    checked(&state, &headers, Check::Status, body, |request, reasons| {
        let mobile = reasons.take(precheck::mobile(&request.mobile));
        let subject = Subject::MobileStatus {
            mobile: mobile.clone(),
        };
        (subject, Call::Status { mobile })
    })
    .await
}

/// What every check with a JSON body shares: key, check, purpose and rate limit
/// ([`Ctx::begin`]), the body, the offline refusals (every reason at once, free), then the
/// call ([`Ctx::run`]). `prepare` checks the request's fields into `reasons` and describes
/// the call.
async fn checked<T>(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    check: Check,
    body: Result<Json<T>, JsonRejection>,
    prepare: impl FnOnce(T, &mut Reasons) -> (Subject, Call),
) -> Response {
    let ctx = match Ctx::begin(state, headers, check).await {
        Ok(ctx) => ctx,
        Err(response) => return response,
    };
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => return ctx.fail(Problem::from_json_rejection(&rejection), None),
    };
    let mut reasons = Reasons::new();
    let (subject, call) = prepare(request, &mut reasons);
    if !reasons.0.is_empty() {
        return ctx.fail(Problem::offline(reasons.0), None);
    }
    ctx.run(subject, call).await
}

/// Checks left on a vendor account (never billed, never cached).
#[utoipa::path(
    get,
    path = "/v1/balance",
    params(BalanceQuery),
    responses(BalanceResponses),
    security(("bearer" = []))
)]
pub(crate) async fn balance(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<BalanceQuery>, QueryRejection>,
) -> Response {
    let ctx = match Ctx::begin(&state, &headers, Check::Balance).await {
        Ok(ctx) => ctx,
        Err(response) => return response,
    };
    let query = match query {
        Ok(Query(query)) => query,
        Err(rejection) => return ctx.fail(Problem::from_query_rejection(&rejection), None),
    };
    let reporting = vendors::reporting_balance();
    if let Some(asked) = query.vendor.as_deref().map(str::trim)
        && !vendors::named(asked).is_some_and(|vendor| reporting.contains(&vendor))
    {
        let asked: String = asked.chars().take(16).collect();
        return ctx.fail(
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!(
                    "only {} reports a balance, not {asked:?}",
                    vendors::prose(&reporting, "and")
                ),
            ),
            None,
        );
    }
    ctx.run_balance().await
}

impl Ctx {
    /// The balance: no subject, no cache, no budget.
    async fn run_balance(self) -> Response {
        let state = Arc::clone(&self.state);
        let day = time::utc_day(time::unix_now());
        let started = Instant::now();
        let result = Call::Balance.send(&state).await;
        let vendor = match &result {
            Ok(done) => Some(done.vendor),
            Err(error) => error.vendor(),
        }
        .or_else(|| Call::Balance.vendors(&state).first().copied());
        if let Some(vendor) = vendor {
            let name = vendor.as_str();
            let elapsed = started.elapsed();
            state
                .today
                .vendor(&day, name, result.is_ok(), false, Units(0), elapsed);
            telemetry::vendor_latency(name, "balance", elapsed);
        }
        match result {
            Ok(done) => {
                let answer = Answer {
                    verdict: done.verdict,
                    vendor: done.vendor.as_str().to_string(),
                    code: done.code,
                    billed: false,
                    cached: false,
                    checked_at: time::rfc3339(done.checked_at),
                    request_id: String::new(),
                    sandbox: false,
                    details: done.details,
                };
                self.answer(None, answer, Units(0))
            }
            Err(error) => self.fail(Problem::from_error(&error), None),
        }
    }
}

/// A route's documented responses, by status (OpenAPI).
type Responses = BTreeMap<String, RefOr<utoipa::openapi::Response>>;

/// The documented responses of a route that asks a vendor: its answer (`answered`), a refusal,
/// and a failure upstream (`failed`) — the last two as problem+json.
fn vendor_responses(answered: &str, failed: &str) -> Responses {
    let problem = "application/problem+json";
    BTreeMap::from([
        (
            "200".to_owned(),
            response(answered, "application/json", Answer::name()),
        ),
        (
            "4XX".to_owned(),
            response("Refused (problem+json)", problem, Problem::name()),
        ),
        ("5XX".to_owned(), response(failed, problem, Problem::name())),
    ])
}

/// One documented response: `description`, and a body of the schema `schema` as `content_type`.
fn response(
    description: &str,
    content_type: &str,
    schema: Cow<'static, str>,
) -> RefOr<utoipa::openapi::Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(schema)))
        .build();
    let response = ResponseBuilder::new().description(description);
    RefOr::T(response.content(content_type, content).build())
}

/// The two-element checks' responses.
pub(crate) struct VerdictResponses;

impl IntoResponses for VerdictResponses {
    fn responses() -> Responses {
        vendor_responses("The verdict", "Vendor or store failure (problem+json)")
    }
}

/// The status check's responses.
pub(crate) struct StatusResponses;

impl IntoResponses for StatusResponses {
    fn responses() -> Responses {
        vendor_responses("The status", "Vendor or store failure (problem+json)")
    }
}

/// The balance's responses.
pub(crate) struct BalanceResponses;

impl IntoResponses for BalanceResponses {
    fn responses() -> Responses {
        let balance = "The balance; details.remaining";
        vendor_responses(balance, "Vendor failure (problem+json)")
    }
}
