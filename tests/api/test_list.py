"""api.md "Conventions", list queries: fields, filters, sort_key/sort_dir,
limit/marker/page_reverse with <collection>_links.

Each test tags its networks with a unique 'description' and filters on it,
so that the objects of other tests do not matter."""

import itertools
import random
import urllib.parse

import pytest

from l2gwtest import href_path, unique

_vni = itertools.count(random.randint(100000, 9000000))


def make_nets(api, tag, names):
    nets = []
    for name in names:
        nets.append(api.network(vni=next(_vni), name=name, description=tag))
    return nets


def q(**kw):
    return urllib.parse.urlencode(kw)


def listing(api, query):
    r = api.get("/v2.0/networks?" + query)
    assert r.status == 200, r
    return r.json()


def ids(items):
    return [i["id"] for i in items]


# -- fields ------------------------------------------------------------------------

def test_fields_only_those_keys(api):
    tag = unique("tag")
    make_nets(api, tag, ["a", "b"])
    body = listing(api, "description=%s&fields=id&fields=name" % tag)
    assert len(body["networks"]) == 2
    for item in body["networks"]:
        assert set(item) == {"id", "name"}, item


def test_fields_single_and_colon(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a"])
    body = listing(api, "description=%s&%s" % (tag, q(fields="provider:segmentation_id")))
    assert body["networks"] == [{"provider:segmentation_id":
                                 nets[0]["provider:segmentation_id"]}]


def test_fields_on_show(api):
    n = api.network()
    r = api.get("/v2.0/networks/%s?fields=name&fields=status" % n["id"])
    assert r.status == 200, r
    assert r.json()["network"] == {"name": n["name"], "status": "ACTIVE"}


def test_fields_on_gateways(api):
    name = unique("fg")
    gw = api.gateway(name=name)
    r = api.get("/v2.0/l2-gateways?name=%s&fields=devices" % name)
    assert r.status == 200, r
    assert r.json()["l2_gateways"] == [{"devices": gw["devices"]}]
    r = api.get("/v2.0/l2-gateways/%s?fields=id&fields=name" % gw["id"])
    assert r.json()["l2_gateway"] == {"id": gw["id"], "name": name}


def test_fields_on_connections(api):
    gw = api.gateway()
    net = api.network()
    c = api.connection(gw["id"], net["id"], segmentation_id=9)
    r = api.get("/v2.0/l2-gateway-connections?id=%s&fields=segmentation_id&fields=id" % c["id"])
    assert r.status == 200, r
    assert r.json()["l2_gateway_connections"] == [{"id": c["id"], "segmentation_id": "9"}]


# -- filters ----------------------------------------------------------------------

def test_filter_single(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a", "b", "c"])
    assert ids(listing(api, "description=%s&name=b" % tag)["networks"]) == [nets[1]["id"]]


def test_filter_repeated_key_is_or(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a", "b", "c", "d"])
    got = ids(listing(api, "description=%s&name=a&name=c&name=zzz" % tag)["networks"])
    assert sorted(got) == sorted([nets[0]["id"], nets[2]["id"]])


def test_filters_different_keys_are_and(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a", "a", "b"])
    v = nets[1]["provider:segmentation_id"]
    got = ids(listing(api, "description=%s&name=a&%s" % (
        tag, q(**{"provider:segmentation_id": v})))["networks"])
    assert got == [nets[1]["id"]]


def test_filter_unknown_key_ignored(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a", "b"])
    got = ids(listing(api, "description=%s&foo=bar&no_such_attr=1" % tag)["networks"])
    assert sorted(got) == sorted(ids(nets))


def test_filter_by_id_and_ids(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a", "b", "c"])
    assert ids(listing(api, "id=%s" % nets[0]["id"])["networks"]) == [nets[0]["id"]]
    got = ids(listing(api, "id=%s&id=%s" % (nets[0]["id"], nets[2]["id"]))["networks"])
    assert sorted(got) == sorted([nets[0]["id"], nets[2]["id"]])


def test_filter_integer_attribute(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["a", "b"])
    v = nets[0]["provider:segmentation_id"]
    assert ids(listing(api, q(**{"provider:segmentation_id": v}))["networks"]) == [nets[0]["id"]]


def test_filter_value_encoding(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["with space", "with&amp", "plain"])
    assert ids(listing(api, q(description=tag, name="with space"))["networks"]) == [nets[0]["id"]]
    assert ids(listing(api, q(description=tag, name="with&amp"))["networks"]) == [nets[1]["id"]]


def test_filter_no_match_empty_list(api):
    body = listing(api, "name=%s" % unique("nothing"))
    assert body["networks"] == []


def test_filter_tenant_id(api):
    proj = unique("proj")
    a = api.gateway(tenant_id=proj)
    api.gateway()
    for key in ("tenant_id", "project_id"):
        got = api.list("l2-gateways", "l2_gateways", "%s=%s" % (key, proj))
        assert ids(got) == [a["id"]], key


def test_filter_connections(api):
    gw = api.gateway()
    n1, n2 = api.network(), api.network()
    c1 = api.connection(gw["id"], n1["id"], segmentation_id=1)
    c2 = api.connection(gw["id"], n2["id"], segmentation_id=2)
    path, coll = "l2-gateway-connections", "l2_gateway_connections"
    assert ids(api.list(path, coll, "network_id=" + n1["id"])) == [c1["id"]]
    assert sorted(ids(api.list(path, coll, "l2_gateway_id=" + gw["id"]))) == \
        sorted([c1["id"], c2["id"]])
    assert ids(api.list(path, coll, "l2_gateway_id=%s&network_id=%s" % (gw["id"], n2["id"]))) \
        == [c2["id"]]


# -- sorting ---------------------------------------------------------------------------

NAMES = ["delta", "alpha", "echo", "charlie", "bravo"]


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sort_by_name(api, direction):
    tag = unique("tag")
    make_nets(api, tag, NAMES)
    items = listing(api, "description=%s&sort_key=name&sort_dir=%s" % (tag, direction))["networks"]
    assert [i["name"] for i in items] == sorted(NAMES, reverse=(direction == "desc"))


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sort_by_integer(api, direction):
    tag = unique("tag")
    nets = make_nets(api, tag, NAMES)
    random.shuffle(nets)
    items = listing(api, "description=%s&%s&sort_dir=%s" % (
        tag, q(sort_key="provider:segmentation_id"), direction))["networks"]
    got = [i["provider:segmentation_id"] for i in items]
    assert got == sorted(got, reverse=(direction == "desc")) and len(got) == 5


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sort_by_id(api, direction):
    tag = unique("tag")
    nets = make_nets(api, tag, NAMES)
    items = listing(api, "description=%s&sort_key=id&sort_dir=%s" % (tag, direction))["networks"]
    assert ids(items) == sorted(ids(nets), reverse=(direction == "desc"))


def test_sort_ties_single_key(api):
    tag = unique("tag")
    make_nets(api, tag, ["b", "a", "b", "a", "c", "b"])
    for direction in ("asc", "desc"):
        items = listing(api, "description=%s&sort_key=name&sort_dir=%s" % (tag, direction))
        names = [i["name"] for i in items["networks"]]
        assert names == sorted(names, reverse=(direction == "desc")) and len(names) == 6


@pytest.mark.parametrize("d1,d2", [("asc", "desc"), ("desc", "asc"), ("asc", "asc"),
                                   ("desc", "desc")])
def test_sort_two_keys_breaks_ties(api, d1, d2):
    tag = unique("tag")
    nets = make_nets(api, tag, ["b", "a", "b", "a", "c", "b"])
    items = listing(api, "description=%s&sort_key=name&sort_dir=%s&%s&sort_dir=%s" % (
        tag, d1, q(sort_key="provider:segmentation_id"), d2))["networks"]
    expected = sorted(nets, key=lambda n: n["provider:segmentation_id"], reverse=(d2 == "desc"))
    expected = sorted(expected, key=lambda n: n["name"], reverse=(d1 == "desc"))
    assert ids(items) == ids(expected)


def test_sort_gateways_by_name(api):
    prefix = unique("sg")
    names = ["%s-%s" % (prefix, n) for n in NAMES]
    for n in names:
        api.gateway(name=n)
    for direction in ("asc", "desc"):
        got = [g["name"] for g in api.list("l2-gateways", "l2_gateways",
                                            "sort_key=name&sort_dir=" + direction)
               if g["name"].startswith(prefix)]
        assert got == sorted(names, reverse=(direction == "desc"))


# -- paging ---------------------------------------------------------------------------

def links_of(body, collection):
    links = body.get(collection + "_links", [])
    out = {}
    for link in links:
        assert link["rel"] in ("next", "previous"), link
        assert link["rel"] not in out, links
        out[link["rel"]] = link["href"]
    return out


def walk(api, first_url, rel, collection="networks", max_pages=40):
    """Follows 'rel' links from first_url; returns [(items, links)] of every
    page fetched, stopping at an empty page or a page without the link."""
    pages = []
    url = first_url
    while url is not None:
        assert len(pages) < max_pages, "paging does not terminate: %r" % pages[-3:]
        r = api.get(url)
        assert r.status == 200, r
        body = r.json()
        items = body[collection]
        links = links_of(body, collection)
        pages.append((items, links))
        if not items or rel not in links:
            break
        nxt = href_path(links[rel])
        assert nxt.startswith("/v2.0/%s" % collection.replace("_", "-")), links[rel]
        url = nxt
    return pages


@pytest.mark.parametrize("count,limit,sort", [
    (7, 3, "sort_key=name&sort_dir=asc"),
    (7, 3, "sort_key=name&sort_dir=desc"),
    (6, 3, "sort_key=name&sort_dir=asc"),
    (5, 1, "sort_key=id&sort_dir=asc"),
    (4, 10, "sort_key=name&sort_dir=asc"),
    (7, 2, ""),
], ids=["7by3-asc", "7by3-desc", "6by3-exact", "5by1", "4by10", "7by2-default-order"])
def test_paging_forward_and_backward(api, count, limit, sort):
    tag = unique("tag")
    names = ["n%02d" % i for i in random.sample(range(100), count)]
    nets = make_nets(api, tag, names)
    base = "/v2.0/networks?description=%s" % tag + ("&" + sort if sort else "")
    full = ids(listing(api, base.split("?", 1)[1])["networks"])
    assert sorted(full) == sorted(ids(nets))

    fwd = walk(api, "%s&limit=%d" % (base, limit), "next")
    got = [i["id"] for items, _ in fwd for i in items]
    if not sort:
        # No sort_key: any stable order, but every object exactly once.
        assert len(got) == len(set(got)) and sorted(got) == sorted(full), got
        full = got
    assert got == full, "forward walk: %r" % [[i["name"] for i in p] for p, _ in fwd]
    for items, _ in fwd:
        for i in items:
            assert i["description"] == tag, "links lost the filter"
    nonempty = [p for p in fwd if p[0]]
    for items, _ in nonempty[:-1]:
        assert len(items) == limit
    if count > limit:
        assert "next" in fwd[0][1], fwd[0][1]
    for items, links in nonempty[1:]:
        assert "previous" in links, links
    last_items, last_links = nonempty[-1]
    if len(last_items) < limit:
        assert "next" not in last_links, last_links

    # Backward from the last non-empty page.
    if "previous" in last_links:
        back = walk(api, href_path(last_links["previous"]), "previous")
    else:
        back = []
    prior = [i["id"] for items, _ in reversed(back) for i in items]
    assert prior + [i["id"] for i in last_items] == full, \
        "backward walk: %r" % [[i["name"] for i in p] for p, _ in back]
    for items, _ in back:
        assert len(items) in (0, limit) or items is back[-1][0]


def test_page_reverse_from_marker(api):
    tag = unique("tag")
    make_nets(api, tag, ["a", "b", "c", "d", "e", "f", "g"])
    full = listing(api, "description=%s&sort_key=name&sort_dir=asc" % tag)["networks"]
    body = listing(api, "description=%s&sort_key=name&sort_dir=asc&limit=3&marker=%s"
                   "&page_reverse=True" % (tag, full[5]["id"]))
    assert [i["name"] for i in body["networks"]] == ["c", "d", "e"]
    body = listing(api, "description=%s&sort_key=name&sort_dir=asc&limit=3&marker=%s"
                   % (tag, full[1]["id"]))
    assert [i["name"] for i in body["networks"]] == ["c", "d", "e"]


def test_paging_with_ties(api):
    tag = unique("tag")
    nets = make_nets(api, tag, ["x", "x", "y", "x", "y", "x", "x"])
    fwd = walk(api, "/v2.0/networks?description=%s&sort_key=name&sort_dir=asc&limit=2" % tag,
               "next")
    got = [i["id"] for items, _ in fwd for i in items]
    assert sorted(got) == sorted(ids(nets)) and len(got) == len(set(got)), got
    names = [i["name"] for items, _ in fwd for i in items]
    assert names == sorted(names)


def test_paging_gateways(api):
    prefix = unique("pg")
    made = [api.gateway(name="%s-%d" % (prefix, i)) for i in range(5)]
    first = "/v2.0/l2-gateways?sort_key=name&sort_dir=asc&limit=2"
    pages = walk(api, first, "next", collection="l2_gateways", max_pages=500)
    got = [g["id"] for items, _ in pages for g in items]
    assert len(got) == len(set(got))
    mine = [g for g in got if g in {m["id"] for m in made}]
    assert mine == [m["id"] for m in made]


def test_limit_without_more_has_no_next(api):
    tag = unique("tag")
    make_nets(api, tag, ["a", "b"])
    body = listing(api, "description=%s&limit=5" % tag)
    assert len(body["networks"]) == 2
    assert "next" not in links_of(body, "networks")
