"""dishka providers of booking and payments: schedules, slots, holds, invoices, refunds."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, from_context, provide

from bot.booking_notices import BotBookingNotices
from bot.payments import TelegramPaymentGateway
from core.clock import Clock
from core.config import Settings
from core.interactors.appointment_reminders import AppointmentReminders
from core.interactors.booking import (
    AddException,
    BuildInvoice,
    CancelBookingsOfLeavingOwner,
    CancelByOwner,
    CancelByVet,
    ConfirmPayment,
    ExpireHolds,
    GetMySchedule,
    HandleSuccessfulPayment,
    HandleVetNoShow,
    HoldSlot,
    ListMyAppointments,
    ListOpenDays,
    ListOpenSlots,
    PreCheckout,
    PublishSlots,
    ReleaseHold,
    RemoveException,
    RescheduleAppointment,
    RetryRefunds,
    SetWeeklyTemplate,
)
from core.interactors.booking_jobs import PublishAllVetSlots
from core.payments import PaymentGateway, PaymentMethod
from core.ports.booking_notices import BookingNotices
from core.ports.repositories import (
    AppointmentRepository,
    AvailabilityRepository,
    PaymentRepository,
    PetAccessRepository,
    PetRepository,
    SlotRepository,
    SymptomCheckRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.availability import SqlAvailabilityRepository
from db.repositories.payments import SqlPaymentRepository
from db.repositories.slots import SqlSlotRepository
from db.repositories.vets import SqlVetRepository


class BookingProvider(Provider):
    bot = from_context(provides=Bot, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def gateway(self, bot: Bot) -> PaymentGateway:
        return TelegramPaymentGateway(bot)

    @provide(scope=Scope.APP)
    def payment_method(self, settings: Settings) -> PaymentMethod:
        token = settings.booking.provider_token
        if token is None:
            # Stars: a video consultation is a digital service (STACK-NOTES.md, Payments).
            return PaymentMethod.stars()
        return PaymentMethod.provider(token.get_secret_value())

    vets = provide(SqlVetRepository, scope=Scope.REQUEST, provides=VetRepository)
    availability = provide(
        SqlAvailabilityRepository, scope=Scope.REQUEST, provides=AvailabilityRepository
    )
    slots = provide(SqlSlotRepository, scope=Scope.REQUEST, provides=SlotRepository)
    appointments = provide(
        SqlAppointmentRepository, scope=Scope.REQUEST, provides=AppointmentRepository
    )
    payments = provide(SqlPaymentRepository, scope=Scope.REQUEST, provides=PaymentRepository)

    get_my_schedule = provide(GetMySchedule, scope=Scope.REQUEST)
    list_open_slots = provide(ListOpenSlots, scope=Scope.REQUEST)
    list_my_appointments = provide(ListMyAppointments, scope=Scope.REQUEST)
    build_invoice = provide(BuildInvoice, scope=Scope.REQUEST)
    expire_holds = provide(ExpireHolds, scope=Scope.REQUEST)
    retry_refunds = provide(RetryRefunds, scope=Scope.REQUEST)
    cancel_by_vet = provide(CancelByVet, scope=Scope.REQUEST)
    confirm_payment = provide(ConfirmPayment, scope=Scope.REQUEST)
    handle_successful_payment = provide(HandleSuccessfulPayment, scope=Scope.REQUEST)
    release_hold = provide(ReleaseHold, scope=Scope.REQUEST)
    publish_all_vet_slots = provide(PublishAllVetSlots, scope=Scope.REQUEST)

    # The ones with tunables: each value from configuration (BOOKING__*).
    @provide(scope=Scope.REQUEST)
    def publish_slots(
        self,
        uow: UnitOfWork,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        settings: Settings,
    ) -> PublishSlots:
        return PublishSlots(
            uow, vets, availability, slots, clock, days_ahead=settings.booking.days_ahead
        )

    @provide(scope=Scope.REQUEST)
    def set_weekly_template(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        settings: Settings,
    ) -> SetWeeklyTemplate:
        return SetWeeklyTemplate(
            uow, users, vets, availability, slots, clock, days_ahead=settings.booking.days_ahead
        )

    @provide(scope=Scope.REQUEST)
    def add_exception(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        clock: Clock,
        settings: Settings,
    ) -> AddException:
        return AddException(
            uow,
            users,
            vets,
            availability,
            slots,
            appointments,
            clock,
            days_ahead=settings.booking.days_ahead,
        )

    @provide(scope=Scope.REQUEST)
    def remove_exception(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        settings: Settings,
    ) -> RemoveException:
        return RemoveException(
            uow, users, vets, availability, slots, clock, days_ahead=settings.booking.days_ahead
        )

    @provide(scope=Scope.REQUEST)
    def list_open_days(
        self,
        users: UserRepository,
        vets: VetRepository,
        slots: SlotRepository,
        clock: Clock,
        settings: Settings,
    ) -> ListOpenDays:
        return ListOpenDays(users, vets, slots, clock, days_ahead=settings.booking.days_ahead)

    @provide(scope=Scope.REQUEST)
    def hold_slot(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        checks: SymptomCheckRepository,
        vets: VetRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        clock: Clock,
        settings: Settings,
    ) -> HoldSlot:
        return HoldSlot(
            uow,
            users,
            pets,
            access,
            checks,
            vets,
            slots,
            appointments,
            clock,
            hold_minutes=settings.booking.hold_minutes,
        )

    @provide(scope=Scope.REQUEST)
    def pre_checkout(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        clock: Clock,
        settings: Settings,
    ) -> PreCheckout:
        return PreCheckout(
            uow,
            users,
            slots,
            appointments,
            clock,
            checkout_grace_minutes=settings.booking.checkout_grace_minutes,
        )

    @provide(scope=Scope.REQUEST)
    def reschedule(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        settings: Settings,
    ) -> RescheduleAppointment:
        return RescheduleAppointment(
            uow,
            users,
            vets,
            pets,
            slots,
            appointments,
            notices,
            clock,
            reminders,
            refund_cutoff_hours=settings.booking.refund_cutoff_hours,
        )

    @provide(scope=Scope.APP)
    def booking_notices(self, bot: Bot, texts: FluentRuntimeCore) -> BookingNotices:
        return BotBookingNotices(bot, texts)

    @provide(scope=Scope.REQUEST)
    def cancel_bookings_of_leaving_owner(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        settings: Settings,
    ) -> CancelBookingsOfLeavingOwner:
        return CancelBookingsOfLeavingOwner(
            uow,
            users,
            vets,
            pets,
            appointments,
            payments,
            gateway,
            notices,
            clock,
            reminders,
            refund_cutoff_hours=settings.booking.refund_cutoff_hours,
        )

    @provide(scope=Scope.REQUEST)
    def cancel_by_owner(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        settings: Settings,
    ) -> CancelByOwner:
        return CancelByOwner(
            uow,
            users,
            vets,
            pets,
            appointments,
            payments,
            gateway,
            notices,
            clock,
            reminders,
            refund_cutoff_hours=settings.booking.refund_cutoff_hours,
        )

    @provide(scope=Scope.REQUEST)
    def handle_vet_no_show(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        settings: Settings,
    ) -> HandleVetNoShow:
        return HandleVetNoShow(
            uow,
            users,
            vets,
            pets,
            appointments,
            payments,
            gateway,
            notices,
            clock,
            reminders,
            grace_minutes=settings.booking.no_show_grace_minutes,
        )
