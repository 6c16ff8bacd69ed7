// The little JavaScript the workspace uses (drag to reorder, local times, live send progress); every page works without it.
export const editorJs = `
(function(){
document.documentElement.classList.add('js');
var csrf=(document.querySelector('meta[name=csrf-token]')||{}).content||'';

// Local time beside instants shown in the newsletter's zone.
function fmt(d){return d.toLocaleString(undefined,{weekday:'short',year:'numeric',month:'short',day:'numeric',hour:'2-digit',minute:'2-digit',timeZoneName:'short'});}
document.querySelectorAll('[data-local-time]').forEach(function(el){
  var d=new Date(el.getAttribute('data-local-time'));if(isNaN(d))return;el.textContent='Your time: '+fmt(d);el.hidden=false;});

// Drag to reorder; the up/down buttons do the same without JavaScript.
var list=document.querySelector('[data-sortable]');
if(list){
  var dragged=null;
  list.querySelectorAll('[data-item-id]').forEach(function(li){
    li.setAttribute('draggable','true');
    li.addEventListener('dragstart',function(e){dragged=li;li.classList.add('dragging');e.dataTransfer.effectAllowed='move';e.dataTransfer.setData('text/plain',li.getAttribute('data-item-id'));});
    li.addEventListener('dragend',function(){li.classList.remove('dragging');list.querySelectorAll('.drop-target').forEach(function(x){x.classList.remove('drop-target');});});
    li.addEventListener('dragover',function(e){if(!dragged||dragged===li)return;e.preventDefault();li.classList.add('drop-target');});
    li.addEventListener('dragleave',function(){li.classList.remove('drop-target');});
    li.addEventListener('drop',function(e){
      e.preventDefault();li.classList.remove('drop-target');if(!dragged||dragged===li)return;
      var r=li.getBoundingClientRect();var after=e.clientY>r.top+r.height/2;
      list.insertBefore(dragged,after?li.nextSibling:li);
      var ids=Array.prototype.map.call(list.querySelectorAll('[data-item-id]'),function(x){return Number(x.getAttribute('data-item-id'));});
      list.setAttribute('aria-busy','true');
      fetch(list.getAttribute('data-sortable'),{method:'POST',headers:{'content-type':'application/json','x-csrf-token':csrf},body:JSON.stringify({order:ids}),credentials:'same-origin'})
        .then(function(res){if(!res.ok)throw new Error(String(res.status));location.reload();})
        .catch(function(){alert('Could not save the new order. Reload the page and try again.');});
    });
  });
}

// Scheduling: show what the chosen wall-clock time in the newsletter's zone is for the editor.
function zoneOffset(ms,tz){
  var p={};new Intl.DateTimeFormat('en-US',{timeZone:tz,hourCycle:'h23',year:'numeric',month:'numeric',day:'numeric',hour:'numeric',minute:'numeric',second:'numeric'})
    .formatToParts(new Date(ms)).forEach(function(x){p[x.type]=Number(x.value);});
  return Date.UTC(p.year,p.month-1,p.day,p.hour,p.minute,p.second)-Math.floor(ms/1000)*1000;}
var sched=document.querySelector('[data-schedule-tz]');
if(sched){
  var tz=sched.getAttribute('data-schedule-tz'),out=sched.querySelector('[data-schedule-local]');
  var upd=function(){
    var d=sched.querySelector('input[name=date]').value,t=sched.querySelector('input[name=time]').value;
    if(!d||!t){out.textContent='';return;}
    var a=d.split('-').map(Number),b=t.split(':').map(Number);var guess=Date.UTC(a[0],a[1]-1,a[2],b[0],b[1]);
    var at=guess-zoneOffset(guess,tz);at=guess-zoneOffset(at,tz);
    out.textContent='That is '+fmt(new Date(at))+' where you are.';};
  sched.addEventListener('input',upd);upd();
}

// Live progress while an issue is being sent.
var prog=document.querySelector('[data-progress-url]');
if(prog){
  var url=prog.getAttribute('data-progress-url'),bar=prog.querySelector('.progress>span'),label=prog.querySelector('[data-progress-label]');
  var tick=function(){
    fetch(url,{headers:{accept:'application/json'},credentials:'same-origin'}).then(function(r){return r.json();}).then(function(v){
      var c=v.counts||{},total=c.total||0,done=(c.sent||0)+(c.failed||0)+(c.suppressed||0);
      var pct=total?Math.min(100,Math.round(done*100/total)):(v.status==='sent'?100:0);
      bar.style.width=pct+'%';prog.querySelector('.progress').setAttribute('aria-valuenow',String(pct));
      label.textContent=pct+'% · '+(c.sent||0).toLocaleString()+' of '+total.toLocaleString()+' sent'+(c.failed?' · '+c.failed+' failed':'')+(c.delivered?' · '+c.delivered.toLocaleString()+' delivered':'');
      Object.keys(c).forEach(function(k){var el=prog.querySelector('[data-count="'+k+'"]');if(el)el.textContent=Number(c[k]).toLocaleString();});
      document.querySelectorAll('[data-status], .sub .badge').forEach(function(st){st.textContent=v.status;st.className='badge '+v.status;});
      if(v.status==='sending')setTimeout(tick,1000);
      else{var h=prog.querySelector('[data-progress-title]');if(h)h.textContent=v.status==='sent'?'Sent':'Stopped';}
    }).catch(function(){setTimeout(tick,3000);});};
  tick();
}
})();
`;
