//! API Gateway: every REST API, then for each (a few at a time) its resources with their
//! methods embedded, and its stages.

use futures::StreamExt;

use super::convert::{self, UNKNOWN_AUTHORIZATION};
use super::errors::cloud_error;
use super::read::Ctx;
use crate::cloud::{CloudError, ReadEvent};
use crate::model::{ApiResource, ReadGap, RestApi, Stage};

/// The largest page API Gateway returns.
const PAGE_LIMIT: i32 = 500;
/// How many APIs are read at once; `GetResources` is paced anyway.
const CONCURRENT_APIS: usize = 4;

/// Every REST API with its resources and stages; failures are recorded as gaps.
pub(super) async fn read_apis(ctx: &Ctx<'_>) -> Vec<RestApi> {
    ctx.started("REST APIs");
    let listed = match list_rest_apis(ctx).await {
        Ok(apis) => apis,
        Err(err) => {
            ctx.gap(ctx.account.as_str(), &err);
            return Vec::new();
        }
    };
    let total = listed.len();
    let mut reads = futures::stream::iter(listed)
        .map(|api| read_api(ctx, api))
        .buffer_unordered(CONCURRENT_APIS);
    let mut apis = Vec::with_capacity(total);
    while let Some(api) = reads.next().await {
        ctx.progress.report(ReadEvent::Read {
            what: format!("API {}", api.name),
            done: apis.len() + 1,
            total,
        });
        apis.push(api);
    }
    apis.sort_by(|a, b| a.id.cmp(&b.id));
    apis
}

/// `GetRestApis`, every page.
async fn list_rest_apis(ctx: &Ctx<'_>) -> Result<Vec<RestApi>, CloudError> {
    const OP: &str = "GetRestApis";
    let mut pages = ctx
        .clients
        .apigateway
        .get_rest_apis()
        .limit(PAGE_LIMIT)
        .into_paginator()
        .send();
    let mut apis = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| cloud_error(OP, &e))?;
        apis.extend(page.items().iter().filter_map(convert::rest_api));
    }
    Ok(apis)
}

async fn read_api(ctx: &Ctx<'_>, mut api: RestApi) -> RestApi {
    let (resources, stages) =
        futures::join!(read_resources(ctx, &api.id), read_stages(ctx, &api.id));
    match resources {
        Ok((resources, unknown)) => {
            if unknown > 0 {
                ctx.add_gap(ReadGap {
                    resource: api.id.clone(),
                    operation: "GetResources".into(),
                    message: format!(
                        "{unknown} method(s) came back without their authorizationType \
                         (shown as {UNKNOWN_AUTHORIZATION}); refresh, and check that the \
                         identity may call apigateway:GET on the API's methods"
                    ),
                });
            }
            api.resources = Some(resources);
        }
        Err(err) => ctx.gap(&api.id, &err),
    }
    match stages {
        Ok(stages) => api.stages = Some(stages),
        Err(err) => ctx.gap(&api.id, &err),
    }
    api
}

/// `GetResources` with `embed=methods`, every page, each page waiting on the pacer. Returns
/// the resources and the number of methods without an `authorizationType`.
async fn read_resources(
    ctx: &Ctx<'_>,
    api_id: &str,
) -> Result<(Vec<ApiResource>, usize), CloudError> {
    const OP: &str = "GetResources";
    let mut resources = Vec::new();
    let mut unknown = 0;
    let mut position: Option<String> = None;
    loop {
        ctx.pacer.acquire().await;
        let page = ctx
            .clients
            .apigateway
            .get_resources()
            .rest_api_id(api_id)
            .embed("methods")
            .limit(PAGE_LIMIT)
            .set_position(position.clone())
            .send()
            .await
            .map_err(|e| cloud_error(OP, &e).on(api_id))?;
        for (resource, missing) in page.items().iter().filter_map(convert::resource) {
            unknown += missing;
            resources.push(resource);
        }
        match page.position() {
            // A token equal to the last one would loop forever.
            Some(next) if !next.is_empty() && position.as_deref() != Some(next) => {
                position = Some(next.to_string());
            }
            _ => break,
        }
    }
    convert::sort_resources(&mut resources);
    resources.dedup_by(|a, b| a.id == b.id);
    Ok((resources, unknown))
}

/// `GetStages` (not paginated).
async fn read_stages(ctx: &Ctx<'_>, api_id: &str) -> Result<Vec<Stage>, CloudError> {
    let out = ctx
        .clients
        .apigateway
        .get_stages()
        .rest_api_id(api_id)
        .send()
        .await
        .map_err(|e| cloud_error("GetStages", &e).on(api_id))?;
    Ok(convert::stages(out.item()))
}
