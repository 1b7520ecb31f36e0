/*
 * refresh.h
 *		The refresh worker's settings and registration (refresh.c), called
 *		from the module's _PG_init.
 */
#ifndef PM_REFRESH_H
#define PM_REFRESH_H

extern void pm_refresh_define_settings(void);
extern void pm_refresh_register_worker(void);

#endif							/* PM_REFRESH_H */
