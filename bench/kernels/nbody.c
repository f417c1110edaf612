/*
** nbody: the classic five-body simulation (the Sun and the four gas giants).
**
** Exercises f64 arithmetic, division and sqrt in loops over an array of
** structures. Floating point contraction is off in both builds, and sqrt and
** the basic operations are correctly rounded in both, so the energy comes out
** bit for bit the same.
*/
#include "bench.h"

#define NB_BODIES 5
#define NB_PI 3.141592653589793
#define NB_SOLAR_MASS (4 * NB_PI * NB_PI)
#define NB_DAYS 365.24

struct body {
	double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[NB_BODIES];

static const struct body nb_start[NB_BODIES] = {
	{ 0, 0, 0, 0, 0, 0, NB_SOLAR_MASS },
	{ 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
	  1.66007664274403694e-03 * NB_DAYS, 7.69901118419740425e-03 * NB_DAYS,
	  -6.90460016972063023e-05 * NB_DAYS, 9.54791938424326609e-04 * NB_SOLAR_MASS },
	{ 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
	  -2.76742510726862411e-03 * NB_DAYS, 4.99852801234917238e-03 * NB_DAYS,
	  2.30417297573763929e-05 * NB_DAYS, 2.85885980666130812e-04 * NB_SOLAR_MASS },
	{ 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
	  2.96460137564761618e-03 * NB_DAYS, 2.37847173959480950e-03 * NB_DAYS,
	  -2.96589568540237556e-05 * NB_DAYS, 4.36624404335156298e-05 * NB_SOLAR_MASS },
	{ 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
	  2.68067772490389322e-03 * NB_DAYS, 1.62824170038242295e-03 * NB_DAYS,
	  -9.51592254519715870e-05 * NB_DAYS, 5.15138902046611451e-05 * NB_SOLAR_MASS },
};

/* Copy the start state and give the Sun the momentum that cancels the rest. */
static void nb_init(void)
{
	double px = 0, py = 0, pz = 0;

	for (int i = 0; i < NB_BODIES; i++) {
		bodies[i] = nb_start[i];
		px += bodies[i].vx * bodies[i].mass;
		py += bodies[i].vy * bodies[i].mass;
		pz += bodies[i].vz * bodies[i].mass;
	}
	bodies[0].vx = -px / NB_SOLAR_MASS;
	bodies[0].vy = -py / NB_SOLAR_MASS;
	bodies[0].vz = -pz / NB_SOLAR_MASS;
}

/* Advance every body by one time step dt. */
static void nb_advance(double dt)
{
	for (int i = 0; i < NB_BODIES; i++) {
		struct body *a = &bodies[i];

		for (int j = i + 1; j < NB_BODIES; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * __builtin_sqrt(d2));

			a->vx -= dx * b->mass * mag;
			a->vy -= dy * b->mass * mag;
			a->vz -= dz * b->mass * mag;
			b->vx += dx * a->mass * mag;
			b->vy += dy * a->mass * mag;
			b->vz += dz * a->mass * mag;
		}
	}
	for (int i = 0; i < NB_BODIES; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

/* Total energy: kinetic minus the potential of every pair. */
static double nb_energy(void)
{
	double e = 0;

	for (int i = 0; i < NB_BODIES; i++) {
		const struct body *a = &bodies[i];

		e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
		for (int j = i + 1; j < NB_BODIES; j++) {
			const struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;

			e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

/* Run `steps` steps, `reps` times from the start; the checksum sums the final
** energies in units of 1e-12. */
BENCH_EXPORT(nbody)
int64_t nbody(int32_t steps, int32_t reps)
{
	int64_t sum = 0;

	for (int32_t r = 0; r < reps; r++) {
		nb_init();
		for (int32_t s = 0; s < steps; s++)
			nb_advance(0.01);
		sum += (int64_t)(nb_energy() * 1e12);
	}
	return sum;
}
