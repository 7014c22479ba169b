"""Rebuilds v3-endpoints.json from HeyGen's reference (a list of endpoints with schemas).

Usage: python3 crates/heygen-emulator/schemas/bundle.py REFERENCE.json [--write]

Keeps the endpoints of the groups the SDK types (asset without the hidden search, avatar, user,
video, voice, webhook), drops prose (description, example, summary), and pins each variant of a
discriminated oneOf to its discriminator value (the value its text states, or for asset inputs
the field it requires). Without --write it only checks that the endpoints already in the file
are what the reference gives.
"""
import json,re,sys,os
HERE=os.path.join(os.path.dirname(os.path.abspath(__file__)),'v3-endpoints.json')
r=json.load(open(sys.argv[1]))
cur=json.load(open(HERE))
KEEP=['body_encoding','method','paginated','path','path_params','query_params','request_schema','response_schema']
PROSE={'description','example','examples','summary'}
def strip(v, in_props=False):
  if isinstance(v,dict):
    out={}
    for k,w in v.items():
      if not in_props and k in PROSE: continue
      out[k]=strip(w, in_props=(k=='properties' and not in_props))
    return out
  if isinstance(v,list): return [strip(w) for w in v]
  return v
def pin(v):
  if isinstance(v,dict):
    if 'discriminator' in v and 'oneOf' in v:
      prop=v['discriminator']['propertyName']; keys=list(v['discriminator'].get('mapping',{}).keys())
      for var in v['oneOf']:
        p=var.get('properties',{}).get(prop)
        if p is None or 'enum' in p: continue
        d=p.get('description') or ''
        m=re.search(r"(?:Must be|Always) '([a-z_0-9]+)'",d)
        if m: val=m.group(1)
        else:
          req=set(var.get('required',[]))
          val='url' if 'url' in req else 'asset_id' if 'asset_id' in req else 'base64' if 'data' in req else None
        assert val in keys,(prop,d,keys,val)
        p['enum']=[val]
    for w in v.values(): pin(w)
  elif isinstance(v,list):
    for w in v: pin(w)
def conv(x):
  x=json.loads(json.dumps(x))
  pin(x)
  # query params: keep as in current file format
  e={k:x.get(k) for k in KEEP if k in x}
  for s in ('request_schema','response_schema'):
    if e.get(s) is not None: e[s]=strip(e[s])
  if e.get('query_params'):
    e['query_params']=[strip(q) for q in e['query_params']]
  if e.get('path_params'):
    e['path_params']=[strip(q) for q in e['path_params']]
  return e
bad=0
m={(x['method'],x['path']):x for x in r}
for e in cur['endpoints']:
  g=conv(m[(e['method'],e['path'])])
  if g!=e:
    bad+=1
    for k in set(g)|set(e):
      if g.get(k)!=e.get(k): print('DIFF',e['method'],e['path'],k, json.dumps(g.get(k))[:300], '|||', json.dumps(e.get(k))[:300])
print('mismatch',bad)
if '--write' in sys.argv:
  scope={'voice','video','asset','avatar','user','webhook'}
  out=[conv(x) for x in r if x['group'] in scope and not (x['path']=='/v3/assets/search')]
  out.sort(key=lambda e:(e['path'],e['method']))
  cur['endpoints']=out
  json.dump(cur,open(HERE,'w'),indent=1,sort_keys=True,ensure_ascii=False)
