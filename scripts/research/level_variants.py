"""Variants of the protocol's reference level method (docs/models/level.md, "Variants tried").

Scores each variant on every Monday origin 2023-11-06..2025-12-22 in five periods (the development
origins are the last), at the origin and 1, 3 and 5 days into the week, with the exact CRPS of the
empirical predictive distribution (no Monte Carlo, no rounding). The reference row reproduces
PROTOCOL.md's 66.7 / 59.7 / 40.4 / 26.2 on the development origins.

Run: /usr/bin/python3 scripts/research/level_variants.py [variants|adaptive|combine|scale|smooth|center]
(NumPy; reads ../shared/data beside the project). Each mode prints the reference row, then:
`variants` (the default) volatility scaling, other level definitions and a blend; `adaptive` the
half-life selection and analog rows; `combine` quantile averages and linear pools of several
half-lives; `scale` the spread scaled by a factor learnt from past errors; `smooth` a kernel-smoothed
ratio distribution; `center` the ratios' past bias removed.
"""
import numpy as np, csv
import os, sys
CSV=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','..','shared','data','elonmusk-tweets-2022-11-to-2025-12.csv')
rows=list(csv.DictReader(open(CSV)))
ts=np.array([np.datetime64(r['created_at'][:-1],'ms') for r in rows])
day0=ts.min().astype('datetime64[D]')
di=(ts.astype('datetime64[D]')-day0).astype(int)
y=np.bincount(di).astype(float)
ndays=len(y)
def ewma_levels(hl):
    a=0.5**(1/hl); S=np.zeros(ndays+1); W=np.zeros(ndays+1)
    for i in range(1,ndays+1): S[i]=a*S[i-1]+y[i-1]; W[i]=a*W[i-1]+1
    L=np.full(ndays+1,np.nan); L[1:]=S[1:]/W[1:]; return L
cs=np.concatenate([[0],np.cumsum(y)])
def Y(s,d): return cs[s+d]-cs[s]
def crps(xs,obs):
    xs=np.sort(xs); n=len(xs)
    e1=np.mean(np.abs(xs-obs))
    i=np.arange(1,n+1); e2=2*np.sum((2*i-n-1)*xs)/(n*n)
    return e1-0.5*e2
L7=ewma_levels(7)
def mondays(a,b):
    d=np.datetime64(a); out=[]
    while d<=np.datetime64(b): out.append(int((d-day0).astype(int))); d+=7
    return out
periods={'23H2':('2023-11-06','2023-12-25'),'24H1':('2024-01-01','2024-06-24'),'24H2':('2024-07-01','2024-12-30'),'25H1':('2025-01-06','2025-06-30'),'dev':('2025-07-07','2025-12-22')}
def ratios(L,i,d,minlev=28):
    ss=np.arange(max(minlev,i-364),i-d+1)
    return ss,np.log(np.maximum(Y(ss,d),0.5)/(d*L[ss]))
def method_ref(i,d):
    ss,r=ratios(L7,i,d); return d*L7[i]*np.exp(r)
# volatility: EWMA of squared one-day log ratios known before day i
def vol_series(L,hl):
    a=0.5**(1/hl); v=np.full(ndays+1,np.nan); S=0;W=0
    lr=np.log(np.maximum(y,0.5)/L[:ndays])  # ratio of day s vs level at s (known at s+1)
    for i in range(1,ndays+1):
        s=i-1
        if s>=28: S=a*S+lr[s]**2; W=a*W+1
        v[i]=np.sqrt(S/W) if W>0 else np.nan
    return v
V={hl:vol_series(L7,hl) for hl in (14,28,56)}
def method_fhs(hl):
    v=V[hl]
    def f(i,d):
        ss,r=ratios(L7,i,d); ok=~np.isnan(v[ss])&(v[ss]>0)
        z=r[ok]/v[ss][ok]; return d*L7[i]*np.exp(v[i]*z)
    return f
def method_fhs_centered(hl):
    v=V[hl]
    def f(i,d):
        ss,r=ratios(L7,i,d); ok=~np.isnan(v[ss])&(v[ss]>0)
        m=np.mean(r[ok]); z=(r[ok]-m)/v[ss][ok]; return d*L7[i]*np.exp(m+v[i]*z)
    return f
def evaluate(method):
    res={}
    for name,(a,b) in periods.items():
        acc=np.zeros(4); cov=np.zeros(4); origins=mondays(a,b)
        for t in origins:
            tot=Y(t,7)
            for j,k in enumerate((0,1,3,5)):
                i=t+k; d=7-k; obs=Y(t,k) if k>0 else 0
                xs=obs+method(i,d)
                acc[j]+=crps(xs,tot)
                lo,hi=np.quantile(xs,[0.1,0.9]); cov[j]+=(lo<=tot<=hi)
        res[name]=(acc/len(origins),cov/len(origins))
    return res
def show(label,res,base=None):
    cells=[]
    for name,(c,cv) in res.items():
        cells.append(f"{name}:{c[0]:.1f}/{c[1]:.1f}/{c[2]:.1f}/{c[3]:.1f}")
    print(f"{label:18s} "+"  ".join(cells))
    if base:
        rel=[np.mean(res[n][0]/base[n][0]) for n in res]
        print(f"{'':18s} rel to ref (mean over k): "+" ".join(f"{x:.3f}" for x in rel))
def log_ewma(hl):
    a=0.5**(1/hl); S=np.zeros(ndays+1); W=np.zeros(ndays+1); ly=np.log(y+1)
    for i in range(1,ndays+1): S[i]=a*S[i-1]+ly[i-1]; W[i]=a*W[i-1]+1
    L=np.full(ndays+1,np.nan); L[1:]=np.exp(S[1:]/W[1:]); return L
def with_level(L):
    def f(i,d):
        ss,r=ratios(L,i,d); return d*L[i]*np.exp(r)
    return f
def median_level(w):
    L=np.full(ndays+1,np.nan)
    for i in range(w,ndays+1): L[i]=np.median(y[i-w:i])
    L[1:w]=[np.mean(y[:i]) for i in range(1,w)]; return L

def variants(base):
    for hl in (14,28,56):
        show(f'fhs{hl}',evaluate(method_fhs(hl)),base)
        show(f'fhsc{hl}',evaluate(method_fhs_centered(hl)),base)
    for hl in (5,7,10): show(f'logewma{hl}',evaluate(with_level(log_ewma(hl))),base)
    for w in (7,14): show(f'median{w}',evaluate(with_level(median_level(w))),base)
    L28=ewma_levels(28)
    show('blend7_28',evaluate(with_level(0.8*L7+0.2*L28)),base)

# --- Added later: choosing among half-lives by past skill, and analog weighting of the ratios ---------
# Both rules use only windows that ended by the issue time. Run: ... level_variants.py adaptive
HALF_LIVES=(2,3,5,7,10,14,21,28)
def weighted_crps(x,w,obs):
    """Exact CRPS of a weighted empirical distribution: sum w|x-y| - 1/2 sum w_i w_j |x_i - x_j|."""
    o=np.argsort(x); x=x[o]; w=w[o]/w.sum()
    F=np.cumsum(w)
    return np.sum(w*np.abs(x-obs))-np.sum(w*x*((F-w)-(1-F)))
def past_crps_table(levels,horizons=(7,6,4,2)):
    """CRPS of each half-life's forecast of the d days from every daily start s (known once s+d has passed)."""
    C={}
    for h,L in levels.items():
        for d in horizons:
            arr=np.full(ndays+1,np.nan)
            for s in range(29+d,ndays-d+1):
                ss,r=ratios(L,s,d)
                if len(r)>=28: arr[s]=crps(d*L[s]*np.exp(r),Y(s,d))
            C[(h,d)]=arr
    return C
def method_select(levels,C,lookback):
    """The half-life whose forecasts of d-day totals scored the lowest mean CRPS over the last `lookback` days."""
    def f(i,d):
        def score(h):
            a=C[(h,d)][max(0,i-lookback):i-d+1]; a=a[~np.isnan(a)]
            return a.mean() if len(a)>=28 else np.inf
        h=min(levels,key=score)
        ss,r=ratios(levels[h],i,d); return d*levels[h][i]*np.exp(r)
    return f
def method_analog(short,long,bandwidth_factor=1.0):
    """Reference ratios weighted by how close their day's short/long level ratio was to today's (Gaussian
    kernel, Silverman's bandwidth times a factor): momentum or mean reversion, learnt without a regression."""
    def f(i,d):
        ss,r=ratios(L7,i,d)
        z=np.log(short[ss]/long[ss]); zt=np.log(short[i]/long[i])
        h=bandwidth_factor*1.06*np.std(z)*len(z)**-0.2
        return d*L7[i]*np.exp(r), np.exp(-0.5*((z-zt)/h)**2)+1e-12
    return f
def evaluate_weighted(method):
    res={}
    for name,(a,b) in periods.items():
        acc=np.zeros(4); origins=mondays(a,b)
        for t in origins:
            tot=Y(t,7)
            for j,k in enumerate((0,1,3,5)):
                i=t+k; d=7-k; obs=Y(t,k) if k>0 else 0
                xs,w=method(i,d); acc[j]+=weighted_crps(obs+xs,w,tot)
        res[name]=(acc/len(origins),np.full(4,np.nan))
    return res
def adaptive(base):
    levels={h:ewma_levels(h) for h in HALF_LIVES}
    C=past_crps_table(levels)
    for lookback in (91,182,364): show(f'select{lookback}',evaluate(method_select(levels,C,lookback)),base)
    L3,L14,L28=ewma_levels(3),ewma_levels(14),ewma_levels(28)
    for label,s,l,bw in (('analog3/28',L3,L28,1),('analog3/28x2',L3,L28,2),('analog3/14',L3,L14,1),('analog7/28',L7,L28,1)):
        show(label,evaluate_weighted(method_analog(s,l,bw)),base)


# --- Added later: combining half-lives as distributions, not as levels --------------------------------
# Run: ... level_variants.py combine
def method_vincent(levels):
    """Quantile average (Vincentization): the i-th smallest draw is the mean of every half-life's i-th smallest."""
    def f(i,d):
        return np.mean([np.sort(d*L[i]*np.exp(ratios(L,i,d)[1])) for L in levels],axis=0)
    return f
def method_pool(levels):
    """Equal-weight linear pool: every half-life's draws together."""
    def f(i,d):
        return np.concatenate([d*L[i]*np.exp(ratios(L,i,d)[1]) for L in levels])
    return f
def combine(base):
    for hls in ((3,7,14),(5,7,10),(7,14),(3,7),(7,28)):
        levels=[ewma_levels(h) for h in hls]
        show(f'vincent{hls}',evaluate(method_vincent(levels)),base)
        show(f'pool{hls}',evaluate(method_pool(levels)),base)


# --- Added later: the spread scaled by a factor learnt from the method's own past errors ---------------
# Run: ... level_variants.py scale
SCALES=np.round(np.arange(0.5,1.51,0.1),2)
def past_scaled_crps(d):
    """CRPS of the reference forecast of the d days from every daily start s, with its log ratios'
    deviations from their median multiplied by each scale c (known once s+d has passed)."""
    C=np.full((len(SCALES),ndays+1),np.nan)
    for s in range(29+d,ndays-d+1):
        ss,r=ratios(L7,s,d)
        if len(r)<28: continue
        m=np.median(r)
        for j,c in enumerate(SCALES): C[j,s]=crps(d*L7[s]*np.exp(m+c*(r-m)),Y(s,d))
    return C
def method_scaled(C,lookback):
    """The scale with the lowest mean CRPS over the starts of the last `lookback` days whose windows ended by i."""
    def f(i,d):
        a=C[d][:,max(0,i-lookback):i-d+1]
        ok=~np.isnan(a[0]); c=SCALES[np.argmin(a[:,ok].mean(axis=1))] if ok.sum()>=28 else 1.0
        ss,r=ratios(L7,i,d); m=np.median(r); return d*L7[i]*np.exp(m+c*(r-m))
    return f
def scale(base):
    C={d:past_scaled_crps(d) for d in (7,6,4,2)}
    for lookback in (91,182,364,728): show(f'scale{lookback}',evaluate(method_scaled(C,lookback)),base)


# --- Added later: a kernel-smoothed ratio distribution -------------------------------------------------
# Run: ... level_variants.py smooth
def method_smoothed(factor,jitter=np.random.default_rng(1).standard_normal(20)):
    """Each log ratio spread by Gaussian jitter (Silverman's bandwidth times a factor), 20 fixed draws per ratio."""
    def f(i,d):
        ss,r=ratios(L7,i,d); h=factor*1.06*np.std(r)*len(r)**-0.2
        return d*L7[i]*np.exp((r[:,None]+h*jitter[None,:]).ravel())
    return f
def smooth(base):
    for factor in (0.5,1,2): show(f'kde{factor}',evaluate(method_smoothed(factor)),base)

# --- Added later: ratios without their past bias -------------------------------------------------------
# Run: ... level_variants.py center
def method_centered(how):
    """The reference's log ratios shifted so that their median is 0 (the median forecast is d x level) or
    so that mean(exp r) is 1 (the mean forecast is d x level): the past year's bias of the level removed."""
    def f(i,d):
        ss,r=ratios(L7,i,d)
        shift=np.median(r) if how=='median' else np.log(np.mean(np.exp(r)))
        return d*L7[i]*np.exp(r-shift)
    return f
def per_origin(method):
    """CRPS at every origin of every period (rows) at k = 0, 1, 3, 5 days in (columns)."""
    return np.array([[crps((Y(t,k) if k>0 else 0)+method(t+k,7-k),Y(t,7)) for k in (0,1,3,5)]
                     for a,b in periods.values() for t in mondays(a,b)])
def paired(label,method,ref):
    """Mean CRPS difference to the reference over all origins, with its paired t statistic, per horizon."""
    D=per_origin(method)-ref; n=len(D)
    cells=[f"k{k}: {D[:,j].mean():+.2f} (t {D[:,j].mean()/D[:,j].std(ddof=1)*np.sqrt(n):+.1f})" for j,k in enumerate((0,1,3,5))]
    print(f"{'':18s} paired vs ref over {n} origins: "+"  ".join(cells))
def center(base):
    ref=per_origin(method_ref)
    for how in ('median','mean'):
        show(f'center_{how}',evaluate(method_centered(how)),base)
        paired(f'center_{how}',method_centered(how),ref)

# --- Which rows to print ---------------------------------------------------------------------------------
MODES={'variants':variants,'adaptive':adaptive,'combine':combine,'scale':scale,'smooth':smooth,'center':center}
if __name__=='__main__':
    mode=sys.argv[1] if len(sys.argv)>1 else 'variants'
    if mode not in MODES or len(sys.argv)>2:
        print(f"usage: level_variants.py [{'|'.join(MODES)}]",file=sys.stderr); sys.exit(2)
    base=evaluate(method_ref); show('ref',base)
    MODES[mode](base)
