/*
 * site_pipe.c -- rendering pages on several cores.  The main thread
 * loads each job from the KB (one connection, one thread) and pushes it;
 * worker threads do the work that needs no KB (diffing, Mustache, the
 * search tokenizer, writing the page: creating thousands of files is
 * much of a fresh site's cost); the main thread then emits finished jobs
 * (updates the manifest) strictly in push order, so the manifest and
 * the statistics do not depend on scheduling.  At most WINDOW jobs are in
 * flight, which bounds memory.  With one CPU the work runs inline.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "mustache.h"
#include "site.h"

#define THREADS_MAX	8
#define WINDOW		32	/* jobs in flight (a power of two) */

struct slot {
	void	*job;
	int	 state;		/* 0 free, 1 queued, 2 running, 3 done */
};

struct site_pipe {
	struct site	*s;
	site_work_fn	 work;
	site_emit_fn	 emit;
	pthread_mutex_t	 mu;
	pthread_cond_t	 todo;		/* a job was queued, or quit */
	pthread_cond_t	 done;		/* a job finished */
	struct slot	 ring[WINDOW];
	size_t		 head;		/* next to emit */
	size_t		 tail;		/* next free */
	size_t		 next;		/* next to hand to a worker */
	int		 quit;
	int		 nthreads;
	pthread_t	 tid[THREADS_MAX];
};

static int
cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (getenv("KBGEN_SITE_THREADS"))
		n = atol(getenv("KBGEN_SITE_THREADS"));
	return n < 1 ? 1 : n > THREADS_MAX ? THREADS_MAX : (int)n;
}

static void *
worker(void *arg)
{
	struct site_pipe *p = arg;
	struct slot *sl;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->quit && p->next == p->tail)
			pthread_cond_wait(&p->todo, &p->mu);
		if (p->next == p->tail)
			break;
		sl = &p->ring[p->next++ % WINDOW];
		sl->state = 2;
		pthread_mutex_unlock(&p->mu);
		p->work(p->s, sl->job);
		pthread_mutex_lock(&p->mu);
		sl->state = 3;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct site_pipe *
site_pipe_new(struct site *s, site_work_fn work, site_emit_fn emit)
{
	struct site_pipe *p = xcalloc(1, sizeof(*p));
	int n = cpus(), i;

	p->s = s;
	p->work = work;
	p->emit = emit;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->todo, NULL);
	pthread_cond_init(&p->done, NULL);
	for (i = 0; n > 1 && i < n; i++)
		if (pthread_create(&p->tid[p->nthreads], NULL, worker, p) == 0)
			p->nthreads++;
	return p;
}

/* Emits the oldest job, waiting for it; call with the lock held. */
static void
emit_oldest(struct site_pipe *p)
{
	struct slot *sl = &p->ring[p->head % WINDOW];
	void *job;

	while (sl->state != 3)
		pthread_cond_wait(&p->done, &p->mu);
	job = sl->job;
	sl->state = 0;
	p->head++;
	pthread_mutex_unlock(&p->mu);
	p->emit(p->s, job);
	pthread_mutex_lock(&p->mu);
}

void
site_pipe_push(struct site_pipe *p, void *job)
{
	if (p->nthreads == 0) {
		p->work(p->s, job);
		p->emit(p->s, job);
		return;
	}
	pthread_mutex_lock(&p->mu);
	while (p->tail - p->head == WINDOW)
		emit_oldest(p);
	p->ring[p->tail % WINDOW].job = job;
	p->ring[p->tail % WINDOW].state = 1;
	p->tail++;
	pthread_cond_signal(&p->todo);
	/* Emit what is finished already, to keep the output flowing. */
	while (p->head != p->tail && p->ring[p->head % WINDOW].state == 3)
		emit_oldest(p);
	pthread_mutex_unlock(&p->mu);
}

void
site_pipe_finish(struct site_pipe *p)
{
	int i;

	pthread_mutex_lock(&p->mu);
	while (p->head != p->tail)
		emit_oldest(p);
	p->quit = 1;
	pthread_cond_broadcast(&p->todo);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->todo);
	pthread_cond_destroy(&p->done);
	free(p);
}
